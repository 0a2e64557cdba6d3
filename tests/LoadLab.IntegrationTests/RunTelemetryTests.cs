using System.Globalization;
using LoadLab.Results;
using LoadLab.Targets;
using LoadLab.TestUtils.Servers;

namespace LoadLab.IntegrationTests;

/// <summary>A real run against the real sample targets, published over remote write to a real Prometheus.</summary>
public sealed class RunTelemetryTests : IClassFixture<PrometheusFixture>
{
    private readonly PrometheusServer _prometheus;

    public RunTelemetryTests(PrometheusFixture fixture) => _prometheus = fixture.Server;

    [Fact]
    public async Task Run_WithRemoteWrite_PrometheusAgreesWithTheResultFile()
    {
        await using var targets = await TargetHost.StartAsync(new TargetOptions { LogOutput = TextWriter.Null, Seed = 3 }, CancellationToken.None);
        var dir = Cli.TempDir();
        var profile = Cli.Profile(dir, $$"""
            name: it-rw
            labels: { service: demo-shop, environment: it, release: "9.9.{{Random.Shared.Next(1000)}}" }
            targets: { api: "{{targets.ApiUrl}}", payments: "{{targets.PaymentsUrl}}" }
            scenarios:
              - name: browse_catalog
                load: [ { inject: { rate: 40, interval: 1s, during: 6s } } ]
              - name: payment_flow
                load: [ { inject: { rate: 5, interval: 1s, during: 6s } } ]
            outputs:
              - prometheus-rw: { url: "{{_prometheus.RemoteWriteUrl}}", interval: 1s }
            """);
        var (exit, output, error) = await Cli.Run("run", profile, "--results", dir);
        Assert.True(exit == 0, output + error);
        var result = ResultFile.Read(Cli.LastLine(output));
        var sink = Assert.Single(result.Telemetry.Sinks);
        Assert.True(sink.Delivered, sink.LastError);
        var release = result.Labels["release"];
        var selector = $"run_id=\"{result.RunId}\"";

        var expectedRequests = result.Scenarios.Sum(s => s.Steps.Sum(x => x.Requests.Ok + x.Requests.Fail));
        Assert.Equal(expectedRequests, await _prometheus.QueryScalarAsync($"sum(max_over_time(loadlab_requests_total{{{selector}}}[10m]))"));
        foreach (var status in new[] { "ok", "fail" })
        {
            var expected = result.Scenarios.Sum(s => s.Steps.Sum(x => status == "ok" ? x.Requests.Ok : x.Requests.Fail));
            var value = await _prometheus.QueryScalarAsync($"sum(max_over_time(loadlab_requests_total{{{selector},status=\"{status}\"}}[10m]))") ?? 0;
            Assert.Equal(expected, value);
        }

        var iterationsOk = await _prometheus.QueryScalarAsync($"sum(max_over_time(loadlab_iterations_total{{{selector},status=\"ok\"}}[10m]))");
        Assert.Equal(result.Scenarios.Sum(s => s.Iterations.Ok), iterationsOk);

        // Over the whole run the bucket counts are the last cumulative values.
        var browse = result.Scenarios.Single(s => s.Name == "browse_catalog");
        var p95 = await _prometheus.QueryScalarAsync(
            $"histogram_quantile(0.95, sum by (le) (max_over_time(loadlab_response_time_seconds_bucket{{{selector},scenario=\"browse_catalog\",status=\"ok\",step=\"\"}}[10m])))");
        Assert.NotNull(p95);
        Assert.InRange(p95!.Value, browse.ResponseTime.P95 * 0.95, browse.ResponseTime.P95 * 1.05);
        Assert.Equal(1, await _prometheus.QueryScalarAsync($"max(loadlab_run_passed{{release=\"{release}\"}})"));
        var approved = result.Scenarios.Single(s => s.Name == "payment_flow").Business["payment"].GetValueOrDefault("approved");
        Assert.Equal(approved, await _prometheus.QueryScalarAsync($"sum(max_over_time(loadlab_business_events_total{{{selector},event=\"payment\",outcome=\"approved\"}}[10m]))") ?? 0);
        _ = CultureInfo.InvariantCulture;
    }

    [Fact]
    public async Task Run_TelemetryBackendDown_RunFinishesAndStrictTelemetryExitsSix()
    {
        var dir = Cli.TempDir();
        // A port nothing listens on: bind, read the port, release it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var profile = Cli.Profile(dir, """
            scenarios:
              - name: delay
                settings: { latency: 1ms }
                load: [ { inject: { rate: 50, interval: 1s, during: 2s } } ]
            """);
        var (exit, output, _) = await Cli.Run("run", profile, "--results", dir, "--out", $"pushgateway=http://127.0.0.1:{port}");
        Assert.Equal(0, exit);
        var result = ResultFile.Read(Cli.LastLine(output));
        Assert.Equal(100, result.Scenarios[0].Iterations.Ok);
        Assert.False(result.Telemetry.Sinks.Single().Delivered);
        Assert.Contains("NOT fully delivered", output, StringComparison.Ordinal);

        var (strict, _, _) = await Cli.Run("run", profile, "--results", dir, "--out", $"pushgateway=http://127.0.0.1:{port}", "--strict-telemetry");
        Assert.Equal(6, strict);
    }
}
