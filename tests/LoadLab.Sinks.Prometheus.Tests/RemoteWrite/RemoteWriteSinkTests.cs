using System.Globalization;
using LoadLab.Metrics;
using LoadLab.Sinks.Prometheus.RemoteWrite;
using LoadLab.Telemetry;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Sinks.Prometheus.Tests.RemoteWrite;

public class RemoteWriteSinkTests
{
    private static ITelemetrySink Create(Uri url, params (string Key, string Value)[] settings) =>
        PrometheusSinks.CreateRemoteWrite(new SinkCreationContext
        {
            Argument = url.ToString(),
            Configuration = settings.ToDictionary(s => s.Key, s => s.Value),
        });

    [Fact]
    public async Task RemoteWrite_RunIntoRealPrometheus_CountersExactAndP95WithinFivePercent()
    {
        using var prometheus = await PrometheusServer.StartAsync();
        var run = new SyntheticRun(SinkTestContext.NewRunId("rw"));
        await using var sink = Create(prometheus.RemoteWriteUrl, ("interval", "200ms"));
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        var start = DateTimeOffset.UtcNow.AddSeconds(-10);
        long weight = 0;
        for (var t = 0; t < 8; t++)
        {
            var snapshot = run.Tick(start.AddSeconds(t));
            weight += WriteRequestEncoder.Weigh(snapshot);
            sink.Publish(snapshot);
        }

        var final = run.Tick(start.AddSeconds(8));
        weight += WriteRequestEncoder.Weigh(final);
        await sink.StopAsync(SinkTestContext.Summary(final), CancellationToken.None);

        var selector = $"{{run_id=\"{run.RunId}\"}}";
        Assert.Equal(run.TotalRequests, await prometheus.QueryScalarAsync($"sum(loadlab_requests_total{selector})"));
        var byStatus = await prometheus.QueryVectorAsync($"sum by (status) (loadlab_requests_total{selector})");
        Assert.Equal(run.Requests("ok"), byStatus.Single(s => s.Labels["status"] == "ok").Value);
        Assert.Equal(run.Requests("fail"), byStatus.Single(s => s.Labels["status"] == "fail").Value);
        var p95 = await prometheus.QueryScalarAsync(
            $"histogram_quantile(0.95, sum by (le) (loadlab_response_time_seconds_bucket{selector}))");
        var hdrP95 = run.AllResponseTimes().GetValueAtPercentile(95) / 1e6;
        Assert.NotNull(p95);
        Assert.InRange(p95.Value, hdrP95 * 0.95, hdrP95 * 1.05);
        var count = await prometheus.QueryScalarAsync($"sum(loadlab_response_time_seconds_count{selector})");
        Assert.Equal(run.AllResponseTimes().TotalCount, count);
        var report = sink.GetReport();
        Assert.True(report.Delivered, report.LastError);
        Assert.Equal(weight, report.Sent);
        Assert.Equal(0, report.Dropped);
        Assert.Equal("prometheus-rw", report.Name);
    }

    [Fact]
    public async Task RemoteWrite_SamplesWithTimestamps_AreStoredAtThoseTimes()
    {
        using var prometheus = await PrometheusServer.StartAsync();
        var run = new SyntheticRun(SinkTestContext.NewRunId("rwts"));
        await using var sink = Create(prometheus.RemoteWriteUrl, ("interval", "200ms"));
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30);
        var first = run.Tick(start);
        var total1 = run.TotalRequests;
        sink.Publish(first);
        var second = run.Tick(start.AddSeconds(10));
        await sink.StopAsync(SinkTestContext.Summary(second), CancellationToken.None);

        // Evaluated between the two samples, the query sees the first one only.
        var midway = await prometheus.QueryScalarAsync($"sum(loadlab_requests_total{{run_id=\"{run.RunId}\"}})", start.AddSeconds(5));
        Assert.Equal(total1, midway);
        var range = await prometheus.QueryRangeAsync(
            $"sum(loadlab_requests_total{{run_id=\"{run.RunId}\"}})", start, start.AddSeconds(10), TimeSpan.FromSeconds(10));
        var values = range[0].GetProperty("values").EnumerateArray().Select(v => double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([total1, run.TotalRequests], values);
    }

    [Fact]
    public async Task RemoteWrite_ExemplarsOfResponseTime_ReachPrometheus()
    {
        using var prometheus = await PrometheusServer.StartAsync();
        var run = new SyntheticRun(SinkTestContext.NewRunId("rwex"));
        await using var sink = Create(prometheus.RemoteWriteUrl, ("interval", "200ms"));
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);
        sink.Publish(run.Tick(start));
        await sink.StopAsync(SinkTestContext.Summary(run.Tick(start.AddSeconds(1))), CancellationToken.None);

        var ids = await prometheus.QueryExemplarTraceIdsAsync(
            $"loadlab_response_time_seconds_bucket{{run_id=\"{run.RunId}\"}}", start.AddSeconds(-1), DateTimeOffset.UtcNow);

        Assert.NotEmpty(ids);
        Assert.Subset(run.TraceIds.ToHashSet(), ids.ToHashSet());
    }

    [Fact]
    public async Task RemoteWrite_PrometheusKilledMidRun_PublishNeverThrowsAndReportAccountsForEverySample()
    {
        using var prometheus = await PrometheusServer.StartAsync();
        var run = new SyntheticRun(SinkTestContext.NewRunId("rwkill"));
        await using var sink = Create(prometheus.RemoteWriteUrl, ("interval", "100ms"), ("retries", "1"), ("backoff", "50ms"), ("timeout", "2s"));
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        var start = DateTimeOffset.UtcNow.AddSeconds(-30);
        long weight = 0;
        var t = 0;
        void PublishNext()
        {
            var snapshot = run.Tick(start.AddSeconds(t++), requestsPerStep: 20);
            weight += WriteRequestEncoder.Weigh(snapshot);
            sink.Publish(snapshot);
        }

        PublishNext();
        Assert.True(await PrometheusServer.WaitUntilAsync(() => Task.FromResult(sink.GetReport().Sent > 0), TimeSpan.FromSeconds(10)));
        prometheus.Kill();
        for (var i = 0; i < 5; i++)
        {
            PublishNext();
            await Task.Delay(50);
        }

        var final = run.Tick(start.AddSeconds(t), requestsPerStep: 20);
        weight += WriteRequestEncoder.Weigh(final);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await sink.StopAsync(SinkTestContext.Summary(final), bound.Token);

        var report = sink.GetReport();
        Assert.False(report.Delivered);
        Assert.True(report.Errors > 0);
        Assert.NotNull(report.LastError);
        Assert.True(report.Dropped > 0);
        Assert.Equal(weight, report.Sent + report.Dropped);
    }

    [Fact]
    public async Task RemoteWrite_BufferFullWhileBackendDown_DropsOldestAndCountsThem()
    {
        // Nothing listens on this port: every send fails, so the buffer (2 snapshots) overflows.
        var url = new Uri($"http://127.0.0.1:{ServerProcess.GetFreePort()}/api/v1/write");
        var run = new SyntheticRun(SinkTestContext.NewRunId("rwbuf"));
        await using var sink = Create(url, ("interval", "10m"), ("buffer", "2"), ("retries", "0"));
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        long weight = 0;
        for (var i = 0; i < 5; i++)
        {
            var snapshot = run.Tick(DateTimeOffset.UtcNow.AddSeconds(i - 10), requestsPerStep: 5);
            weight += WriteRequestEncoder.Weigh(snapshot);
            sink.Publish(snapshot);
        }

        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);

        var report = sink.GetReport();
        Assert.Equal(0, report.Sent);
        Assert.Equal(weight, report.Dropped);
        Assert.Equal(1, report.Errors);
        Assert.False(report.Delivered);
    }

    [Fact]
    public void Publish_AfterStopOrWithEmptySpan_DoesNotThrow()
    {
        var sink = Create(new Uri("http://127.0.0.1:1/api/v1/write"));

        sink.Publish([]);
        sink.Publish([new MetricSample(MetricNames.RunPassed, MetricKind.Gauge, LabelSet.Empty, 1, DateTimeOffset.UtcNow)]);

        Assert.Equal(0, sink.GetReport().Errors);
    }
}
