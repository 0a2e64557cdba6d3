using System.Diagnostics;
using System.Globalization;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Telemetry;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Sinks.Otlp.Tests;

public class OtlpSinkTests
{
    private static readonly ActivitySource s_engine = new(TraceConventions.ActivitySourceName);
    private static readonly ActivitySource s_http = new(TraceConventions.HttpActivitySourceName);

    private static SinkContext Context(string runId) => new()
    {
        RunId = runId,
        RunLabels = LabelSet.Of(("service", "checkout-api"), ("environment", "test"), ("release", "1.2.3"), ("run_id", runId)),
        Profile = "nightly",
        Segment = "1/1",
    };

    private static async Task<ITelemetrySink> StartAsync(string? endpoint, string runId, Dictionary<string, string> config, Dictionary<string, string>? env = null)
    {
        config.TryAdd("interval", "100ms");
        var sink = OtlpSinks.Create(new SinkCreationContext { Argument = endpoint, Configuration = config, Environment = env ?? [] });
        await sink.StartAsync(Context(runId), CancellationToken.None);
        return sink;
    }

    private static async Task StopAsync(ITelemetrySink sink)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await sink.StopAsync(new RunSummary { Result = new RunResult() }, bound.Token);
    }

    /// <summary>Runs one iteration the way the engine and HTTP layer shape it; returns the root's trace id and sampled flag.</summary>
    private static (string TraceId, bool Sampled) Iteration(string runId, bool fail, double responseTime = 0.05)
    {
        using var root = s_engine.StartActivity("iteration checkout", ActivityKind.Internal)!;
        root.SetTag(TraceConventions.ScenarioTag, "checkout");
        root.SetTag(TraceConventions.RunIdTag, runId);
        using (var step = s_engine.StartActivity("step pay", ActivityKind.Internal)!)
        {
            step.SetTag(TraceConventions.StepTag, "pay");
            using (var http = s_http.StartActivity("POST", ActivityKind.Client)!)
            {
                http.SetTag("http.request.method", "POST");
                http.SetTag("url.full", "http://127.0.0.1:5000/pay");
                http.SetTag("http.response.status_code", fail ? 503 : 200);
                if (fail)
                {
                    http.SetStatus(ActivityStatusCode.Error);
                }
            }

            step.SetTag(TraceConventions.StatusTag, fail ? "fail" : "ok");
        }

        root.SetTag(TraceConventions.StatusTag, fail ? "fail" : "ok");
        root.SetTag(TraceConventions.ResponseTimeTag, responseTime);
        if (fail)
        {
            root.SetTag(TraceConventions.ErrorKindTag, "http_5xx");
            root.SetStatus(ActivityStatusCode.Error, "http_5xx");
        }

        return (root.TraceId.ToHexString(), root.Recorded);
    }

    [Fact]
    public async Task Otlp_SampledIteration_ReceiverSeesSpanTreeAndResource()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var runId = "otlp-tree-" + Guid.NewGuid().ToString("N")[..6];
        var sink = await StartAsync(receiver.BaseAddress.ToString(), runId, new() { ["sample"] = "1" });
        var (traceId, sampled) = Iteration(runId, fail: false);
        await StopAsync(sink);

        Assert.True(sampled);
        var spans = receiver.Spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Equal(3, spans.Count);
        var root = Assert.Single(spans, s => s.IsRoot);
        var step = Assert.Single(spans, s => s.ParentSpanId == root.SpanId);
        var http = Assert.Single(spans, s => s.ParentSpanId == step.SpanId);
        Assert.Equal("iteration checkout", root.Name);
        Assert.Equal("step pay", step.Name);
        Assert.Equal(3, http.Kind);
        Assert.Equal("LoadLab.Http", http.Scope);
        Assert.Equal("POST", http.Attributes["http.request.method"]);
        Assert.Equal("head", root.Attributes["loadlab.sampling"]);
        Assert.Equal("checkout", root.Attributes["loadlab.scenario"]);
        Assert.Equal("loadlab", root.Resource["service.name"]);
        Assert.Equal("1.2.3", root.Resource["service.version"]);
        Assert.Equal("test", root.Resource["deployment.environment"]);
        Assert.Equal(runId, root.Resource["run_id"]);
        Assert.Equal("1.2.3", root.Resource["release"]);
        var report = sink.GetReport();
        Assert.True(report.Delivered, report.LastError);
        Assert.Equal(3, report.Sent);
        Assert.Equal("http://127.0.0.1:" + receiver.BaseAddress.Port + "/v1/traces", report.Endpoint);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Otlp_HeadFractionWithFailures_SampledShareWithinToleranceAndEveryFailedIterationExported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var runId = "otlp-share-" + Guid.NewGuid().ToString("N")[..6];
        var sink = await StartAsync(receiver.BaseAddress.ToString(), runId, new() { ["sample"] = "0.2", ["slow"] = "off" });
        var iterations = new List<(string TraceId, bool Sampled, bool Failed)>();
        for (var i = 0; i < 500; i++)
        {
            var failed = i % 10 == 3;
            var (traceId, sampled) = Iteration(runId, failed);
            iterations.Add((traceId, sampled, failed));
        }

        await StopAsync(sink);

        var roots = receiver.Spans.Where(s => s.IsRoot).ToDictionary(s => s.TraceId);
        var headSampled = iterations.Where(i => i.Sampled).Select(i => i.TraceId).ToHashSet();

        // The W3C sampled flag is the head decision: 20% of 500 = 100, binomial sd ~ 9.
        Assert.InRange(headSampled.Count, 60, 140);
        Assert.Equal(headSampled, roots.Values.Where(r => r.Attributes["loadlab.sampling"] == "head").Select(r => r.TraceId).ToHashSet());
        foreach (var failed in iterations.Where(i => i.Failed))
        {
            Assert.True(roots.ContainsKey(failed.TraceId), $"failed iteration {failed.TraceId} was not exported");
            Assert.Equal(2, roots[failed.TraceId].StatusCode);

            // The exported span keeps the W3C flag it was propagated with: sampled only if the head said so.
            Assert.Equal(failed.Sampled, (roots[failed.TraceId].Flags & 1) == 1);
            Assert.Equal(3, receiver.Spans.Count(s => s.TraceId == failed.TraceId));
        }

        var expected = iterations.Where(i => i.Sampled || i.Failed).Select(i => i.TraceId).ToHashSet();
        Assert.Equal(expected, roots.Keys.ToHashSet());
        Assert.Equal(expected.Count * 3, receiver.Spans.Count);
        var report = sink.GetReport();
        Assert.Equal(expected.Count * 3, report.Sent);
        Assert.Equal(0, report.Dropped);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Otlp_SlowUnsampledIteration_IsExportedAndFastOneIsNot()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var runId = "otlp-slow-" + Guid.NewGuid().ToString("N")[..6];
        var sink = await StartAsync(receiver.BaseAddress.ToString(), runId, new() { ["sample"] = "0", ["slow"] = "300ms" });
        var (slowId, slowSampled) = Iteration(runId, fail: false, responseTime: 0.5);
        var (fastId, _) = Iteration(runId, fail: false, responseTime: 0.01);
        await StopAsync(sink);

        Assert.False(slowSampled);
        var root = Assert.Single(receiver.Spans, s => s.IsRoot);
        Assert.Equal(slowId, root.TraceId);
        Assert.Equal("slow", root.Attributes["loadlab.sampling"]);
        Assert.Equal(0.5, double.Parse(root.Attributes[TraceConventions.ResponseTimeTag], CultureInfo.InvariantCulture));
        Assert.DoesNotContain(receiver.Spans, s => s.TraceId == fastId);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Otlp_HeadersVariable_AreSentToTheReceiver()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var runId = "otlp-hdr-" + Guid.NewGuid().ToString("N")[..6];
        var env = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.ToString(),
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-scope-orgid=loadlab-tests",
        };
        var sink = await StartAsync(null, runId, new() { ["sample"] = "1" }, env);
        Iteration(runId, fail: false);
        await StopAsync(sink);

        Assert.Equal(3, receiver.Spans.Count);
        Assert.Equal("loadlab-tests", receiver.LastHeaders["x-scope-orgid"]);
        Assert.StartsWith("application/x-protobuf", receiver.LastHeaders["content-type"], StringComparison.Ordinal);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Otlp_ReceiverDown_RunGoesOnAndReportCountsEveryUndeliveredSpan()
    {
        var url = $"http://127.0.0.1:{ServerProcess.GetFreePort()}/";
        var runId = "otlp-down-" + Guid.NewGuid().ToString("N")[..6];
        var sink = await StartAsync(url, runId, new() { ["sample"] = "1", ["retries"] = "0", ["timeout"] = "1s" });
        for (var i = 0; i < 4; i++)
        {
            Iteration(runId, fail: i == 0);
        }

        await StopAsync(sink);

        var report = sink.GetReport();
        Assert.False(report.Delivered);
        Assert.Equal(12, report.Dropped);
        Assert.Equal(0, report.Sent);
        Assert.True(report.Errors > 0);
        Assert.NotNull(report.LastError);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Otlp_ReceiverFailsOnce_RetryDeliversEverything()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.FailNext(1);
        var runId = "otlp-retry-" + Guid.NewGuid().ToString("N")[..6];
        var sink = await StartAsync(receiver.BaseAddress.ToString(), runId, new() { ["sample"] = "1", ["retries"] = "2" });
        Iteration(runId, fail: false);
        await StopAsync(sink);

        var report = sink.GetReport();
        Assert.Equal(3, receiver.Spans.Count);
        Assert.Equal(3, report.Sent);
        Assert.Equal(0, report.Dropped);
        await sink.DisposeAsync();
    }
}
