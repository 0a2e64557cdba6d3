using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;
using LoadLab.Http;
using LoadLab.Scenarios.Catalog;
using LoadLab.Scenarios.Common;
using LoadLab.Scenarios.Login;
using LoadLab.Scenarios.Payments;

namespace LoadLab.Scenarios.Mixed;

/// <summary>
/// The <c>mixed_traffic</c> scenario: each iteration is one of browse_catalog, login or payment_flow,
/// drawn by weight (default 70 / 20 / 10), over one shared client. Each flow's settings go in a section
/// named after it; <c>timeout</c> and <c>max_connections</c> apply to the shared client.
/// </summary>
internal sealed class MixedTrafficFactory : IScenarioFactory
{
    public const string ScenarioName = "mixed_traffic";

    private static readonly (string Name, double Weight)[] s_defaultWeights =
        [(BrowseCatalogFactory.ScenarioName, 70), (LoginFactory.ScenarioName, 20), (PaymentFlowFactory.ScenarioName, 10)];

    public string Name => ScenarioName;

    public string Description => "A weighted mix of browse_catalog, login and payment_flow (api and payments).";

    public IReadOnlyList<ScenarioSetting> Settings { get; } =
    [
        new("weights", "map", "{browse_catalog: 70, login: 20, payment_flow: 10}", "Relative weights of the flows; 0 leaves a flow out."),
        new("browse_catalog", "map", "{}", "Settings of browse_catalog."),
        new("login", "map", "{}", "Settings of login."),
        new("payment_flow", "map", "{}", "Settings of payment_flow."),
        .. LibraryHttp.Settings,
    ];

    public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context)
    {
        var weights = ReadWeights(settings);
        var http = LibraryHttp.ReadOptions(settings);
        // A flow weighted 0 is left out: its section is accepted but not read, and its target is not needed.
        var browseSection = Section(settings, BrowseCatalogFactory.ScenarioName);
        var loginSection = Section(settings, LoginFactory.ScenarioName);
        var paymentSection = Section(settings, PaymentFlowFactory.ScenarioName);
        var browseOptions = weights[0] > 0 ? BrowseCatalogFactory.ReadOptions(browseSection, context) : null;
        var loginOptions = weights[1] > 0 ? LoginFactory.ReadOptions(loginSection, context) : null;
        var paymentOptions = weights[2] > 0 ? PaymentFlowFactory.ReadOptions(paymentSection, context) : null;

        HttpClient? client = null;
        BrowseCatalog? browse = null;
        LoginFlow? login = null;
        PaymentFlow? payment = null;
        var flows = new List<(double, Func<IScenarioContext, Task<Response>>)>();
        if (browseOptions is not null)
        {
            flows.Add((weights[0], ctx => browse!.RunAsync(ctx)));
        }

        if (loginOptions is not null)
        {
            flows.Add((weights[1], ctx => login!.RunAsync(ctx)));
        }

        if (paymentOptions is not null)
        {
            flows.Add((weights[2], ctx => payment!.RunAsync(ctx)));
        }

        if (flows.Count == 0)
        {
            // Reported above; a stand-in flow keeps Create total (the run will not start).
            flows.Add((1, _ => Task.FromResult(FlowResult.Ok)));
        }

        return Scenario.CreateWeighted(ScenarioName, [.. flows])
            .WithInit(_ =>
            {
                client = HttpClientFactory.Create(http);
                browse = browseOptions is null ? null : new BrowseCatalog(client, browseOptions);
                login = loginOptions is null ? null : new LoginFlow(client, loginOptions);
                payment = paymentOptions is null ? null : new PaymentFlow(client, paymentOptions);
                return Task.CompletedTask;
            })
            .WithClean(_ =>
            {
                client?.Dispose();
                return Task.CompletedTask;
            });
    }

    private static double[] ReadWeights(ScenarioSettings settings)
    {
        var weights = s_defaultWeights.Select(w => w.Weight).ToArray();
        if (settings.GetSection("weights") is not { } section)
        {
            return weights;
        }

        var known = s_defaultWeights.Select(w => w.Name).ToArray();
        foreach (var key in section.Keys)
        {
            if (Array.IndexOf(known, key) < 0)
            {
                section.AddError(key, $"unknown flow '{key}'; expected {string.Join(", ", known)}");
            }
        }

        for (var i = 0; i < known.Length; i++)
        {
            var w = section.GetDouble(known[i], weights[i]);
            if (w < 0)
            {
                section.AddError(known[i], $"expected a weight of 0 or more, got {w}");
                w = weights[i];
            }

            weights[i] = w;
        }

        if (weights.All(w => w <= 0))
        {
            settings.AddError("weights", "at least one flow needs a weight above 0");
        }

        return weights;
    }

    private static ScenarioSettings Section(ScenarioSettings settings, string key)
    {
        if (settings.GetSection(key) is not { } section)
        {
            return ScenarioSettings.FromValues(new Dictionary<string, string>());
        }

        // The loader checks the top level for unknown keys; the flows' sections are checked here.
        var known = ScenarioLibrary.Factories.Single(f => f.Name == key).Settings.Select(s => s.Name).ToArray();
        foreach (var unknown in section.Keys.Where(k => Array.IndexOf(known, k) < 0))
        {
            section.AddError(unknown, $"unknown setting of '{key}'; expected one of: {string.Join(", ", known)}");
        }

        return section;
    }
}
