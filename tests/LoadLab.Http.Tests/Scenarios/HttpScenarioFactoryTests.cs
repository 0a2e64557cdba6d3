using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Http.Scenarios;
using LoadLab.Http.Tests.Support;

namespace LoadLab.Http.Tests.Scenarios;

[Collection(ActivityListenerCollection.Name)]
public sealed class HttpScenarioFactoryTests : IAsyncLifetime
{
    private KestrelServer _server = null!;

    public async Task InitializeAsync() => _server = await KestrelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Run_ProfileWithHttpScenario_SendsEveryIterationWithItsSettings()
    {
        var profile = Load($$"""
            name: http-test
            targets: { api: "{{_server.Url}}" }
            scenarios:
              - name: http
                settings:
                  url: /echo
                  target: api
                  method: post
                  body: '{"customer":"Ada"}'
                  headers: { X-Test: from-profile }
                  expect_status: "200"
                  timeout: 5s
                load:
                  - iterations_for_constant: { copies: 2, iterations: 10 }
            """);

        var result = await LoadEngine.RunAsync(new RunOptions { Scenarios = profile.Scenarios }, CancellationToken.None);

        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(10, scenario.Iterations.Ok);
        Assert.Equal(0, scenario.Iterations.Fail);
        Assert.Equal(10, scenario.Checks["status is 200"].Pass);
        Assert.Equal(10, _server.TraceParents.Count);
    }

    [Fact]
    public async Task Run_WithTraceListener_TargetJoinsTheIterationTrace()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name is "LoadLab" or "LoadLab.Http",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var profile = Load($$"""
            name: traced
            scenarios:
              - name: http
                settings: { url: "{{_server.At("/hello")}}" }
                load:
                  - iterations_for_constant: { copies: 1, iterations: 3 }
            """);

        await LoadEngine.RunAsync(new RunOptions { Scenarios = profile.Scenarios }, CancellationToken.None);

        // Each traceparent the server saw is a client span of LoadLab.Http, child of a LoadLab (engine) span.
        Assert.Equal(3, _server.TraceParents.Count);
        foreach (var header in _server.TraceParents)
        {
            var parts = header!.Split('-');
            var client = Assert.Single(stopped, a => a.Source.Name == "LoadLab.Http" && a.SpanId.ToHexString() == parts[2]);
            Assert.Equal(parts[1], client.TraceId.ToHexString());
            Assert.Contains(stopped, a => a.Source.Name == "LoadLab" && a.SpanId == client.ParentSpanId);
        }
    }

    [Fact]
    public async Task Run_UnexpectedStatus_CountsHttpErrors()
    {
        var profile = Load($$"""
            name: http-test
            scenarios:
              - name: http
                settings: { url: "{{_server.At("/status/503")}}" }
                load:
                  - iterations_for_constant: { copies: 1, iterations: 3 }
            """);

        var result = await LoadEngine.RunAsync(new RunOptions { Scenarios = profile.Scenarios }, CancellationToken.None);

        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(3, scenario.Iterations.Fail);
        Assert.Equal(3, scenario.Errors["http_5xx"]);
    }

    [Theory]
    [InlineData("settings: { method: GET }", "settings.url: is required")]
    [InlineData("settings: { url: \"ftp://127.0.0.1/x\" }", "settings.url: expected an absolute http:// or https:// URL")]
    [InlineData("settings: { url: /health }", "settings.url: expected an absolute http:// or https:// URL (or a path starting with / together with 'target'), got '/health'")]
    [InlineData("settings: { url: /health, target: payments }", "needs a target named 'payments'")]
    [InlineData("settings: { url: \"http://127.0.0.1:1/\", expect_status: \"2000\" }", "settings.expect_status: expected status codes between 100 and 599")]
    [InlineData("settings: { url: \"http://127.0.0.1:1/\", http_version: \"3\" }", "settings.http_version: expected 1.1 or 2, got '3'")]
    [InlineData("settings: { url: \"http://127.0.0.1:1/\", timeout: soon }", "settings.timeout: expected a duration")]
    [InlineData("settings: { url: \"http://127.0.0.1:1/\", headers: { \"Bad Name\": x } }", "settings.headers: 'Bad Name' is not a valid HTTP header name")]
    [InlineData("settings: { url: \"http://127.0.0.1:1/\", max_connections: 0 }", "settings.max_connections: expected a whole number between 1 and 100000, got 0")]
    public void Load_BadSetting_ReportsALocatedError(string settings, string expected)
    {
        var yaml = $"""
            name: bad
            targets: {"{"} api: "http://127.0.0.1:5080" {"}"}
            scenarios:
              - name: http
                {settings}
                load:
                  - iterations_for_constant: {"{"} copies: 1, iterations: 1 {"}"}
            """;

        var e = Assert.Throws<ConfigurationException>(() => Load(yaml));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_ListEveryKeyTheFactoryReads()
    {
        var names = new HttpScenarioFactory().Settings.Select(s => s.Name);

        Assert.Equal(["url", "target", "method", "body", "headers", "expect_status", "timeout", "http_version", "max_connections"], names);
    }

    private static Profile Load(string yaml) =>
        new ProfileLoader(new ScenarioCatalog().Add([new HttpScenarioFactory()])).LoadText(yaml, "bad.yaml", new ProfileOverrides());
}
