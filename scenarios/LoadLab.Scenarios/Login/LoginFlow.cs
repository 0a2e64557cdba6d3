using System.Globalization;
using LoadLab.Engine.Scenarios;
using LoadLab.Http;
using LoadLab.Scenarios.Common;
// Inside LoadLab.* namespaces 'Http' names the LoadLab.Http namespace, so the class gets an alias.
using HttpApi = LoadLab.Http.Http;

namespace LoadLab.Scenarios.Login;

/// <summary>Options of <see cref="LoginFlow"/>.</summary>
public sealed class LoginOptions
{
    /// <summary>Gets or sets the api-service base URL.</summary>
    /// <value>Must be an absolute http(s) URL.</value>
    public Uri ApiUrl { get; set; } = new("http://127.0.0.1:5080/");

    /// <summary>Gets or sets the share of logins made with a wrong password.</summary>
    /// <value>Defaults to <c>0.05</c>. Must be between 0 and 1.</value>
    public double WrongPasswordShare { get; set; } = 0.05;

    /// <summary>Gets or sets how many demo users there are (user1 .. userN with password pass-N, see docs/targets.md).</summary>
    /// <value>Defaults to <c>1000</c>.</value>
    public int Users { get; set; } = 1000;

    /// <summary>Gets or sets a value indicating whether a successful login then fetches the profile (GET /v1/me with the token).</summary>
    /// <value>Defaults to <c>true</c>.</value>
    public bool FetchProfile { get; set; } = true;

    /// <summary>Gets or sets the pause between the login and the profile.</summary>
    /// <value>Defaults to none.</value>
    public ThinkTime ThinkTime { get; set; } = ThinkTime.None;
}

/// <summary>
/// A user logs in to api-service (a share with a wrong password, which must be rejected with 401)
/// and fetches their profile with the token. Steps: login, me. Business counter: login succeeded|rejected.
/// Passwords and tokens never leave the request: they are not logged, and checks are named without them.
/// </summary>
public sealed class LoginFlow
{
    private static readonly HttpCheck s_tokenIssued = HttpCheck.JsonField("access_token").Named("login issues a token");
    private static readonly HttpCheck s_wrongRejected = HttpCheck.Status(401).Named("wrong password rejected");
    private readonly HttpClient _client;
    private readonly LoginOptions _options;
    private readonly Uri _login;
    private readonly Uri _me;

    /// <summary>Initializes a new instance of the <see cref="LoginFlow"/> class.</summary>
    /// <param name="client">The shared client.</param>
    /// <param name="options">The options.</param>
    public LoginFlow(HttpClient client, LoginOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _login = new Uri(options.ApiUrl, "v1/login");
        _me = new Uri(options.ApiUrl, "v1/me");
    }

    /// <summary>Runs one login.</summary>
    /// <param name="ctx">The iteration.</param>
    /// <returns>Ok (a rejected wrong password is ok), or the first failed step.</returns>
    public async Task<Response> RunAsync(IScenarioContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var random = ctx.Random;
        var n = random.Next(1, _options.Users + 1).ToString(CultureInfo.InvariantCulture);
        var user = "user" + n;
        var wrong = random.NextDouble() < _options.WrongPasswordShare;
        var password = wrong ? "wrong-" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture) : "pass-" + n;

        var request = HttpApi.CreateRequest("POST", _login).WithJsonBody(new LoginBody(user, password), ScenarioJson.Default.LoginBody);
        request = wrong ? request.WithCheck(s_wrongRejected) : request.ExpectStatus(200).WithCheck(s_tokenIssued);
        var login = await Step.Run("login", ctx, () => HttpApi.Send(_client, request, ctx)).ConfigureAwait(false);
        if (login.IsError)
        {
            return login;
        }

        ctx.Metrics.Count("login", wrong ? "rejected" : "succeeded");
        if (wrong || !_options.FetchProfile)
        {
            return FlowResult.Ok;
        }

        var token = login.Payload!.GetJsonText("access_token")!;
        await _options.ThinkTime.WaitAsync(ctx).ConfigureAwait(false);
        var me = await Step.Run("me", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("GET", _me)
            .WithHeader("Authorization", "Bearer " + token)
            .ExpectStatus(200)
            .WithCheck(HttpCheck.Create("profile is the user's", r => r.GetJsonText("user") == user)), ctx)).ConfigureAwait(false);
        return me.IsError ? me : FlowResult.Ok;
    }
}

/// <summary>The POST /v1/login body.</summary>
/// <param name="User">The user.</param>
/// <param name="Password">The password.</param>
internal sealed record LoginBody(string User, string Password);
