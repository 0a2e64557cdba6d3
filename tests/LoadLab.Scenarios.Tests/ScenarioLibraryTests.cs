using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Simulations;
using LoadLab.Http;
using LoadLab.Results;
using LoadLab.Scenarios.Catalog;
using LoadLab.Scenarios.Payments;
using LoadLab.Scenarios.Tests.Support;

namespace LoadLab.Scenarios.Tests;

public sealed class ScenarioLibraryTests(TargetsFixture targets) : IClassFixture<TargetsFixture>
{
    [Fact]
    public void Factories_ListTheLibraryScenarios()
    {
        Assert.Equal(["browse_catalog", "login", "payment_flow", "mixed_traffic"], ScenarioLibrary.Factories.Select(f => f.Name));
        Assert.All(ScenarioLibrary.Factories, f => Assert.NotEmpty(f.Description));
    }

    [Fact]
    public async Task BrowseCatalog_AgainstApiService_ListsSearchesAndViews()
    {
        var result = await targets.RunAsync("""
              - name: browse_catalog
                settings: { think_time: 1ms, views: 2 }
                load:
                  - iterations_for_constant: { copies: 2, iterations: 12 }
            """);

        Assert.Equal(12, result.Iterations.Ok);
        Assert.Equal(0, result.Iterations.Fail);
        Assert.Equal(12, Step(result, "list_items").Requests.Ok);
        Assert.Equal(12, Step(result, "search_items").Requests.Ok);
        Assert.Equal(24, Step(result, "view_item").Requests.Ok);
        Assert.True(Step(result, "view_item").Bytes.Received > 0);
        AssertChecksPass(result, "status is 200", "json items present", "json id present");
    }

    [Fact]
    public async Task Login_WithWrongPasswordShare_RejectsThoseAndCountsBoth()
    {
        var failedBefore = await TargetsFixture.MetricAsync(targets.Host.ApiUrl, "security_events_total", "event=\"login_failed\"");

        var result = await targets.RunAsync("""
              - name: login
                settings: { wrong_password_share: 40% }
                load:
                  - iterations_for_constant: { copies: 2, iterations: 25 }
            """);

        Assert.Equal(25, result.Iterations.Ok);
        var rejected = result.Business["login"]["rejected"];
        var succeeded = result.Business["login"]["succeeded"];
        Assert.Equal(25, rejected + succeeded);
        Assert.InRange(rejected, 1, 24);
        Assert.Equal(succeeded, Step(result, "me").Requests.Ok);
        AssertChecksPass(result, "wrong password rejected", "login issues a token", "profile is the user's");

        // The target saw exactly the wrong passwords as failed logins.
        var failedAfter = await TargetsFixture.MetricAsync(targets.Host.ApiUrl, "security_events_total", "event=\"login_failed\"");
        Assert.Equal(rejected, failedAfter - failedBefore);
    }

    [Fact]
    public async Task PaymentFlow_AgainstPaymentsService_CountsOutcomesAndRetriesMatch()
    {
        var approvedBefore = await TargetsFixture.MetricAsync(targets.Host.PaymentsUrl, "payments_total", "outcome=\"approved\"");
        var declinedBefore = await TargetsFixture.MetricAsync(targets.Host.PaymentsUrl, "payments_total", "outcome=\"declined\"");

        var result = await targets.RunAsync("""
              - name: payment_flow
                settings: { decline_share: 0.3, retry_share: 0.5, refund_share: 0.5, verify_share: 1 }
                load:
                  - iterations_for_constant: { copies: 3, iterations: 40 }
            """);

        Assert.Equal(40, result.Iterations.Ok);
        Assert.Equal(0, result.Iterations.Fail);
        var approved = result.Business["payment"]["approved"];
        var declined = result.Business["payment"]["declined"];
        Assert.Equal(40, approved + declined);
        Assert.InRange(declined, 1, 39);
        Assert.False(result.Business["payment"].ContainsKey("failed"));
        Assert.True(Step(result, "authorize_retry").Requests.Ok > 0);
        Assert.True(Step(result, "capture").Requests.Ok > 0);
        Assert.True(Step(result, "refund").Requests.Ok > 0);
        Assert.Equal(40, Step(result, "get_payment").Requests.Ok);
        AssertChecksPass(
            result,
            "status is 201",
            "json id present",
            "header Idempotent-Replayed is true",
            "idempotent retry returns the same payment",
            "json status is captured",
            "refund amount as asked",
            "payment status as expected");

        // The target counted the same outcomes (retries are replays, not new payments).
        Assert.Equal(approved, await TargetsFixture.MetricAsync(targets.Host.PaymentsUrl, "payments_total", "outcome=\"approved\"") - approvedBefore);
        Assert.Equal(declined, await TargetsFixture.MetricAsync(targets.Host.PaymentsUrl, "payments_total", "outcome=\"declined\"") - declinedBefore);
    }

    [Fact]
    public async Task PaymentFlow_CardNumbers_NeverReachTheTargetLogs()
    {
        await targets.RunAsync("""
              - name: payment_flow
                settings: { token_share: 0, decline_share: 0.2 }
                load:
                  - iterations_for_constant: { copies: 1, iterations: 10 }
            """);

        var log = targets.Log;
        Assert.Contains("ending", log, StringComparison.Ordinal);
        foreach (var number in TestCards.Approving.Append(TestCards.Fraud).Append(TestCards.InsufficientFunds))
        {
            Assert.DoesNotContain(number, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MixedTraffic_Weighted_RunsEveryFlowOverOneClient()
    {
        var result = await targets.RunAsync("""
              - name: mixed_traffic
                settings:
                  weights: { browse_catalog: 40, login: 30, payment_flow: 30 }
                  login: { wrong_password_share: 0 }
                load:
                  - iterations_for_constant: { copies: 2, iterations: 40 }
            """);

        Assert.Equal(40, result.Iterations.Ok);
        Assert.Contains(result.Steps, s => s.Name == "list_items");
        Assert.Contains(result.Steps, s => s.Name == "login");
        Assert.Contains(result.Steps, s => s.Name == "authorize");
        Assert.False(result.Business["login"].ContainsKey("rejected"));
        var payments = result.Business["payment"].Values.Sum();
        Assert.Equal(Step(result, "authorize").Requests.Ok, payments);
    }

    [Fact]
    public async Task PaymentFlow_PaymentsTargetDown_CountsFailedPaymentsAndConnectionRefused()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var profile = TargetsFixture.Load($$"""
            name: down
            targets: { payments: "http://127.0.0.1:{{port}}" }
            scenarios:
              - name: payment_flow
                load:
                  - iterations_for_constant: { copies: 1, iterations: 3 }
            """);

        var result = Assert.Single((await LoadEngine.RunAsync(new RunOptions { Scenarios = profile.Scenarios }, CancellationToken.None)).Scenarios);

        Assert.Equal(3, result.Iterations.Fail);
        Assert.Equal(3, result.Business["payment"]["failed"]);
        Assert.Equal(3, Step(result, "authorize").Errors["connection_refused"]);
    }

    [Fact]
    public async Task Flows_ComposedInCode_RunAsDocumented()
    {
        using var client = HttpClientFactory.Create();
        var pay = new PaymentFlow(client, new PaymentFlowOptions { PaymentsUrl = targets.Host.PaymentsUrl, RefundShare = 0.2 });
        var browse = new BrowseCatalog(client, new BrowseCatalogOptions { ApiUrl = targets.Host.ApiUrl });
        var scenario = Scenario.CreateWeighted("shop", (80, browse.RunAsync), (20, pay.RunAsync))
            .WithLoadSimulations(Simulation.IterationsForConstant(2, 20))
            .WithoutWarmUp();

        var result = Assert.Single((await LoadEngine.RunAsync(new RunOptions { Scenarios = [scenario] }, CancellationToken.None)).Scenarios);

        Assert.Equal(20, result.Iterations.Ok);
        var visits = result.Steps.Where(s => s.Name is "list_items" or "authorize").Sum(s => s.Requests.Ok);
        Assert.Equal(20, visits);
    }

    [Theory]
    [InlineData("browse_catalog", "targets: { payments: \"http://127.0.0.1:5081\" }", "needs a target named 'api'")]
    [InlineData("payment_flow", "targets: { api: \"http://127.0.0.1:5080\" }", "needs a target named 'payments'")]
    [InlineData("mixed_traffic", "targets: { api: \"http://127.0.0.1:5080\" }", "needs a target named 'payments'")]
    public void Load_MissingTarget_ReportsALocatedError(string scenario, string targetsLine, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => TargetsFixture.Load($"""
            name: missing
            {targetsLine}
            scenarios:
              - name: {scenario}
                load:
                  - iterations_for_constant: {"{"} copies: 1, iterations: 1 {"}"}
            """));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("browse_catalog", "{ think_time: often }", "settings.think_time: expected a duration")]
    [InlineData("browse_catalog", "{ page_size: 500 }", "settings.page_size: expected a whole number between 1 and 100, got 500")]
    [InlineData("login", "{ wrong_password_share: 2 }", "settings.wrong_password_share: expected a ratio between 0 and 1")]
    [InlineData("login", "{ fetch_profile: maybe }", "settings.fetch_profile: expected true or false")]
    [InlineData("payment_flow", "{ refund_share: lots }", "settings.refund_share: expected a ratio")]
    [InlineData("payment_flow", "{ timeout: 0ms }", "settings.timeout: expected a duration between 1ms and 1h")]
    [InlineData("mixed_traffic", "{ weights: { browse_catalog: -1 } }", "settings.weights.browse_catalog: expected a weight of 0 or more")]
    [InlineData("mixed_traffic", "{ weights: { checkout: 5 } }", "settings.weights.checkout: unknown flow 'checkout'")]
    [InlineData("mixed_traffic", "{ weights: { browse_catalog: 0, login: 0, payment_flow: 0 } }", "settings.weights: at least one flow needs a weight above 0")]
    [InlineData("mixed_traffic", "{ payment_flow: { decline_share: x } }", "settings.payment_flow.decline_share: expected a ratio")]
    [InlineData("mixed_traffic", "{ login: { wrong_share: 0.1 } }", "settings.login.wrong_share: unknown setting of 'login'; expected one of: wrong_password_share, users")]
    [InlineData("mixed_traffic", "{ think: 1s }", "settings.think: unknown setting of 'mixed_traffic'")]
    public void Load_BadSetting_ReportsALocatedError(string scenario, string settings, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => TargetsFixture.Load($"""
            name: bad
            targets: {"{"} api: "http://127.0.0.1:5080", payments: "http://127.0.0.1:5081" {"}"}
            scenarios:
              - name: {scenario}
                settings: {settings}
                load:
                  - iterations_for_constant: {"{"} copies: 1, iterations: 1 {"}"}
            """));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Matches(@"test\.yaml:\d+:\d+", e.Message);
    }

    [Fact]
    public void Create_TargetNotHttp_RecordsAnError()
    {
        var factory = ScenarioLibrary.Factories.Single(f => f.Name == "payment_flow");
        var settings = ScenarioSettings.FromValues(new Dictionary<string, string>());
        var context = new ScenarioFactoryContext("payment_flow", new Dictionary<string, Uri> { ["payments"] = new("ftp://127.0.0.1/") }, 1, settings);

        factory.Create(settings, context);

        var error = Assert.Single(settings.Errors);
        Assert.Equal("settings.targets", error.Field);
        Assert.Equal("target 'payments' of scenario 'payment_flow' must be an absolute http:// or https:// URL such as http://127.0.0.1:5080, got 'ftp://127.0.0.1/'", error.Message);
    }

    private static StepResult Step(ScenarioResult result, string name) => Assert.Single(result.Steps, s => s.Name == name);

    private static void AssertChecksPass(ScenarioResult result, params string[] names)
    {
        foreach (var name in names)
        {
            Assert.True(result.Checks.TryGetValue(name, out var counts), $"check '{name}' missing; have {string.Join(", ", result.Checks.Keys)}");
            Assert.True(counts.Pass > 0, $"check '{name}' never passed");
        }

        Assert.All(result.Checks, c => Assert.True(c.Value.Fail == 0, $"check '{c.Key}' failed {c.Value.Fail} times"));
    }
}
