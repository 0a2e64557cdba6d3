using System.Net.Http.Headers;
using LoadLab.Sinks.Prometheus.Scrape;
using LoadLab.Telemetry;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Sinks.Prometheus.Tests.Scrape;

public class ScrapeSinkTests
{
    private static ScrapeSink Create(string address = "127.0.0.1:0", string linger = "0s") =>
        (ScrapeSink)PrometheusSinks.CreateScrape(new SinkCreationContext
        {
            Argument = address,
            Configuration = new Dictionary<string, string> { ["linger"] = linger },
        });

    [Fact]
    public async Task Scrape_RealPrometheusScrapes_ExemplarsComeBackWithPublishedTraceIds()
    {
        var run = new SyntheticRun(SinkTestContext.NewRunId("scrape"));
        await using var sink = Create();
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        using var prometheus = await PrometheusServer.StartAsync([new ScrapeTarget("loadlab", sink.BoundEndpoint!.ToString())]);
        var start = DateTimeOffset.UtcNow;
        var selector = $"{{run_id=\"{run.RunId}\"}}";

        // Publish a snapshot every 300 ms until Prometheus has scraped exemplars (bounded: 20 s).
        var found = await PrometheusServer.WaitUntilAsync(
            async () =>
            {
                sink.Publish(run.Tick(DateTimeOffset.UtcNow, requestsPerStep: 50));
                await Task.Delay(300);
                var ids = await prometheus.QueryExemplarTraceIdsAsync($"loadlab_response_time_seconds_bucket{selector}", start.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
                return ids.Count > 0;
            },
            TimeSpan.FromSeconds(20));

        Assert.True(found, prometheus.Output);
        var exemplarIds = await prometheus.QueryExemplarTraceIdsAsync($"loadlab_response_time_seconds_bucket{selector}", start.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Subset(run.TraceIds.ToHashSet(), exemplarIds.ToHashSet());
        var scraped = await prometheus.QueryScalarAsync($"sum(loadlab_checks_total{{run_id=\"{run.RunId}\",result=\"pass\"}})");
        Assert.NotNull(scraped);
        Assert.True(scraped > 0);
        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);
        var report = sink.GetReport();
        Assert.True(report.Delivered);
        Assert.True(report.Sent > 0);
    }

    [Fact]
    public async Task Scrape_AcceptOpenMetrics_ServesOpenMetricsWithEof()
    {
        var run = new SyntheticRun(SinkTestContext.NewRunId("om"));
        await using var sink = Create();
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, sink.MetricsUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/openmetrics-text"));

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("# EOF\n", body);
        Assert.Contains("# {trace_id=\"", body);
        var plain = await http.GetStringAsync(sink.MetricsUrl);
        Assert.DoesNotContain("trace_id", plain);
        Assert.Contains("# TYPE loadlab_requests_total counter", plain);
        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);
    }

    [Fact]
    public async Task Scrape_NeverScraped_ReportSaysSo()
    {
        var run = new SyntheticRun(SinkTestContext.NewRunId("noscrape"));
        await using var sink = Create();
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));

        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);

        var report = sink.GetReport();
        Assert.False(report.Delivered);
        Assert.Equal("the endpoint was never scraped during the run", report.LastError);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsSinkConfigurationException()
    {
        await using var first = Create();
        await first.StartAsync(new SinkContext(), CancellationToken.None);
        await using var second = Create(first.BoundEndpoint!.ToString());

        await Assert.ThrowsAsync<SinkConfigurationException>(async () => await second.StartAsync(new SinkContext(), CancellationToken.None));
    }

    [Fact]
    public async Task Publish_PartialSnapshot_UpdatesSeriesWithoutDroppingOthers()
    {
        var run = new SyntheticRun(SinkTestContext.NewRunId("partial"));
        await using var sink = Create();
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));

        sink.Publish([new Metrics.MetricSample(Metrics.MetricNames.RunPassed, Metrics.MetricKind.Gauge, run.RunLabels, 1, DateTimeOffset.UtcNow)]);

        var text = sink.Render(LoadLab.Sinks.Prometheus.Exposition.ExpositionFormat.PrometheusText);
        Assert.Contains("loadlab_run_passed{", text, StringComparison.Ordinal);
        Assert.Contains("loadlab_requests_total{", text, StringComparison.Ordinal);
        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);
    }

    [Fact]
    public async Task StopAsync_WhileBeingScraped_ServesUntilTheFinalValuesWereScraped()
    {
        var run = new SyntheticRun(SinkTestContext.NewRunId("linger"));
        await using var sink = Create(linger: "10s");
        await sink.StartAsync(SinkTestContext.For(run), CancellationToken.None);
        using var prometheus = await PrometheusServer.StartAsync([new ScrapeTarget("loadlab", sink.BoundEndpoint!.ToString())]);
        sink.Publish(run.Tick(DateTimeOffset.UtcNow));
        Assert.True(await PrometheusServer.WaitUntilAsync(() => Task.FromResult(sink.GetReport().Sent > 0), TimeSpan.FromSeconds(15)), prometheus.Output);

        var final = new Metrics.MetricSample(Metrics.MetricNames.RunPassed, Metrics.MetricKind.Gauge, run.RunLabels, 1, DateTimeOffset.UtcNow);
        await sink.StopAsync(SinkTestContext.Summary([final]), CancellationToken.None);

        var query = $"loadlab_run_passed{{run_id=\"{run.RunId}\"}}";
        Assert.True(
            await PrometheusServer.WaitUntilAsync(async () => await prometheus.QueryScalarAsync(query) == 1, TimeSpan.FromSeconds(5)),
            "the final value was not scraped before the endpoint closed");
    }
}
