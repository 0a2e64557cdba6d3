using LoadLab.Telemetry;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Sinks.Prometheus.Tests.Pushgateway;

public class PushgatewaySinkTests
{
    private static ITelemetrySink Create(Uri url) =>
        PrometheusSinks.CreatePushgateway(new SinkCreationContext
        {
            Argument = url.ToString(),
            Configuration = new Dictionary<string, string> { ["interval"] = "200ms", ["timeout"] = "2s" },
        });

    [Fact]
    public async Task Pushgateway_PushedSeries_AreScrapedByPrometheusWithGroupingLabels()
    {
        using var pushgateway = await PushgatewayServer.StartAsync();
        using var prometheus = await PrometheusServer.StartAsync([pushgateway.ScrapeTarget]);
        var run = new SyntheticRun(SinkTestContext.NewRunId("push"));
        await using var sink = Create(pushgateway.BaseAddress);
        await sink.StartAsync(SinkTestContext.For(run, segment: "2/3"), CancellationToken.None);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));
        var final = run.Tick(DateTimeOffset.UtcNow);
        await sink.StopAsync(SinkTestContext.Summary(final), CancellationToken.None);

        var query = $"sum by (job, run_id, instance) (loadlab_requests_total{{run_id=\"{run.RunId}\"}})";
        Assert.True(
            await PrometheusServer.WaitUntilAsync(async () => (await prometheus.QueryVectorAsync(query)).Count > 0, TimeSpan.FromSeconds(15)),
            prometheus.Output);
        var series = Assert.Single(await prometheus.QueryVectorAsync(query));
        Assert.Equal("loadlab", series.Labels["job"]);
        Assert.Equal(run.RunId, series.Labels["run_id"]);
        Assert.Equal("2/3", series.Labels["instance"]);
        Assert.Equal(run.TotalRequests, series.Value);
        var report = sink.GetReport();
        Assert.True(report.Delivered, report.LastError);
        Assert.Equal(0, report.Errors);
        Assert.Contains("/metrics/job/loadlab/run_id/" + run.RunId + "/instance@base64/", report.Endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pushgateway_NeverStarted_RunGoesOnAndReportSaysUndelivered()
    {
        var url = new Uri($"http://127.0.0.1:{ServerProcess.GetFreePort()}/");
        var run = new SyntheticRun(SinkTestContext.NewRunId("nopush"));
        await using var sink = Create(url);

        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));
        await Task.Delay(500);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));
        var final = run.Tick(DateTimeOffset.UtcNow);
        await sink.StopAsync(SinkTestContext.Summary(final), CancellationToken.None);

        var report = sink.GetReport();
        Assert.False(report.Delivered);
        Assert.True(report.Errors >= 2, $"errors: {report.Errors}");
        Assert.Equal(final.Length, report.Dropped);
        Assert.Equal(0, report.Sent);
        Assert.NotNull(report.LastError);
    }
}
