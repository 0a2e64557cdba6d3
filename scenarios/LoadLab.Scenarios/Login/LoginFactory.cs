using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;
using LoadLab.Scenarios.Common;

namespace LoadLab.Scenarios.Login;

/// <summary>The <c>login</c> scenario of the library (target <c>api</c>).</summary>
internal sealed class LoginFactory : IScenarioFactory
{
    public const string ScenarioName = "login";

    public string Name => ScenarioName;

    public string Description => "Users log in (a share with a wrong password, rejected with 401) and fetch their profile (api-service).";

    public IReadOnlyList<ScenarioSetting> Settings { get; } =
    [
        new("wrong_password_share", "ratio", "0.05", "Share of logins with a wrong password (counted by the target as security events)."),
        new("users", "integer", "1000", "Users are drawn from user1 .. userN (api-service has 1000)."),
        new("fetch_profile", "bool", "true", "After a login, GET /v1/me with the token."),
        new("think_time", "duration", "0ms", "Mean pause between the login and the profile."),
        new("think_jitter", "ratio", "0.5", "Spread of the pause around the mean."),
        .. LibraryHttp.Settings,
    ];

    public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context)
    {
        var options = ReadOptions(settings, context);
        return LibraryHttp.Scenario(ScenarioName, settings, client => new LoginFlow(client, options), (flow, ctx) => flow.RunAsync(ctx));
    }

    internal static LoginOptions ReadOptions(ScenarioSettings settings, ScenarioFactoryContext context) => new()
    {
        ApiUrl = LibraryHttp.Target(settings, context, "api"),
        WrongPasswordShare = settings.GetRatio("wrong_password_share", 0.05),
        Users = LibraryHttp.IntInRange(settings, "users", 1000, 1, 1_000_000),
        FetchProfile = settings.GetBool("fetch_profile", true),
        ThinkTime = new ThinkTime(LibraryHttp.NonNegativeDuration(settings, "think_time", TimeSpan.Zero), settings.GetRatio("think_jitter", 0.5)),
    };
}
