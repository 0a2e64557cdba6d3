using LoadLab.Results;
using LoadLab.Targets;
using LoadLab.TestUtils.Servers;

namespace LoadLab.IntegrationTests;

/// <summary>
/// Traces of a real run (engine, HTTP layer and OTLP sink, against the sample api-service on Kestrel) as a tracing
/// backend receives them: head-sampled iterations and failed unsampled ones are exported as the same span tree
/// (root, step, HTTP client span), the failed ones with the HTTP semantic conventions of the request that failed;
/// healthy unsampled iterations are not exported.
/// </summary>
public class RunTracingTests
{
    [Fact]
    public async Task Run_WithOtlp_ExportsHeadSampledAndEveryFailedIterationAsTheSameSpanTree()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var options = new TargetOptions { LogOutput = TextWriter.Null, Seed = 3 };
        options.Regressions.Add("errors:/v1/items:8%:503");
        await using var targets = await TargetHost.StartAsync(options, CancellationToken.None);
        var dir = Cli.TempDir();
        var profile = Cli.Profile(dir, $$"""
            name: tracing
            labels: { service: demo-shop, environment: it, release: "2.0.0" }
            targets: { api: "{{targets.ApiUrl}}" }
            seed: 9
            scenarios:
              - name: browse_catalog
                settings: { views: 1 }
                load: [ { inject: { rate: 60, interval: 1s, during: 5s } } ]
            outputs:
              - otlp: { endpoint: "{{receiver.BaseAddress}}", sample: 0.2, slow: off, interval: 200ms }
            """);

        var (exit, output, error) = await Cli.Run("run", profile, "--results", dir);

        Assert.True(exit is 0 or 4, output + error);
        var result = ResultFile.Read(Cli.LastLine(output));
        var scenario = Assert.Single(result.Scenarios);
        var total = scenario.Iterations.Ok + scenario.Iterations.Fail;
        Assert.InRange(scenario.Iterations.Fail, 5, total / 2);

        var spans = receiver.Spans.Where(s => s.Resource.GetValueOrDefault("service.name") == "loadlab").ToList();
        var roots = spans.Where(s => s.IsRoot).ToList();
        var failed = roots.Where(r => r.StatusCode == 2).ToList();
        var head = roots.Where(r => r.Attributes["loadlab.sampling"] == "head").ToList();

        // Every failed iteration is there, head-sampled or not; healthy ones only when the head sampled them (20%).
        Assert.Equal(scenario.Iterations.Fail, failed.Count);
        Assert.All(roots.Except(head), r => Assert.Equal("failed", r.Attributes["loadlab.sampling"]));
        Assert.InRange(head.Count, total * 0.2 * 0.5, total * 0.2 * 1.6);
        Assert.True(failed.Any(r => (r.Flags & 1) == 0), "no failed iteration outside the head sample: the tail export was not exercised");

        foreach (var root in roots)
        {
            var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
            Assert.Equal("iteration browse_catalog", root.Name);
            Assert.Equal("browse_catalog", root.Attributes["loadlab.scenario"]);
            var steps = trace.Where(s => s.ParentSpanId == root.SpanId).ToList();
            Assert.NotEmpty(steps);
            Assert.Equal("step list_items", steps.MinBy(s => s.StartTimeUnixNano)!.Name);
            foreach (var step in steps)
            {
                Assert.StartsWith("step ", step.Name, StringComparison.Ordinal);
                Assert.Equal(step.Name[5..], step.Attributes["loadlab.step"]);
                Assert.Equal(root.Flags & 1, step.Flags & 1);
                Within(root, step);
                var client = Assert.Single(trace, s => s.ParentSpanId == step.SpanId);
                Assert.Equal("GET", client.Name);
                Assert.Equal(3, client.Kind);
                Assert.Equal("LoadLab.Http", client.Scope);
                Assert.Equal("GET", client.Attributes["http.request.method"]);
                Assert.StartsWith(targets.ApiUrl.ToString().TrimEnd('/') + "/v1/items", client.Attributes["url.full"], StringComparison.Ordinal);
                Assert.Equal(targets.ApiUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), client.Attributes["server.port"]);
                Within(step, client);
            }

            Assert.Equal(1 + (steps.Count * 2), trace.Count);
            if (root.StatusCode == 2)
            {
                // The last step is the one that failed, and its request says why, as a live span would.
                var last = steps.MaxBy(s => s.StartTimeUnixNano)!;
                Assert.Equal(2, last.StatusCode);
                Assert.Equal("fail", last.Attributes["loadlab.status"]);
                var request = trace.Single(s => s.ParentSpanId == last.SpanId);
                Assert.Equal(2, request.StatusCode);
                Assert.Equal("503", request.Attributes["http.response.status_code"]);
                Assert.Equal("503", request.Attributes["error.type"]);
                Assert.Equal("http_5xx", root.Attributes["loadlab.error_kind"]);
            }
        }
    }

    [Fact]
    public async Task Run_WithOtlpSlowThreshold_ExportsSlowUnsampledIterationsWithTheirSteps()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var options = new TargetOptions { LogOutput = TextWriter.Null, Seed = 4 };
        options.EndpointLatencies["/v1/items/{id}"] = TimeSpan.FromMilliseconds(20);
        await using var targets = await TargetHost.StartAsync(options, CancellationToken.None);
        var dir = Cli.TempDir();
        var profile = Cli.Profile(dir, $$"""
            name: tracing-slow
            targets: { api: "{{targets.ApiUrl}}" }
            seed: 9
            scenarios:
              - name: browse_catalog
                settings: { views: 1 }
                load: [ { inject: { rate: 20, interval: 1s, during: 3s } } ]
            outputs:
              - otlp: { endpoint: "{{receiver.BaseAddress}}", sample: 0, slow: 30ms, interval: 200ms }
            """);

        var (exit, output, error) = await Cli.Run("run", profile, "--results", dir);

        Assert.True(exit == 0, output + error);
        var scenario = Assert.Single(ResultFile.Read(Cli.LastLine(output)).Scenarios);
        var roots = receiver.Spans.Where(s => s.IsRoot && s.Resource.GetValueOrDefault("service.name") == "loadlab").ToList();
        Assert.NotEmpty(roots);
        Assert.InRange(roots.Count, 1, scenario.Iterations.Ok);
        foreach (var root in roots)
        {
            Assert.Equal("slow", root.Attributes["loadlab.sampling"]);
            Assert.True(double.Parse(root.Attributes["loadlab.response_time_s"], System.Globalization.CultureInfo.InvariantCulture) >= 0.030, root.ToString());
            var steps = receiver.Spans.Where(s => s.ParentSpanId == root.SpanId).Select(s => s.Name).ToList();
            Assert.Equal(["step list_items", "step search_items", "step view_item"], steps.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Run_HeadSampled_TargetServerSpansJoinTheHarnessClientSpans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var options = new TargetOptions { LogOutput = TextWriter.Null, Seed = 5, OtlpEndpoint = receiver.BaseAddress };
        await using var targets = await TargetHost.StartAsync(options, CancellationToken.None);
        var dir = Cli.TempDir();
        var profile = Cli.Profile(dir, $$"""
            name: tracing-join
            targets: { api: "{{targets.ApiUrl}}" }
            scenarios:
              - name: browse_catalog
                settings: { views: 1 }
                load: [ { inject: { rate: 10, interval: 1s, during: 2s } } ]
            outputs:
              - otlp: { endpoint: "{{receiver.BaseAddress}}", sample: 1, interval: 200ms }
            """);

        var (exit, output, error) = await Cli.Run("run", profile, "--results", dir);

        Assert.True(exit == 0, output + error);
        var clients = receiver.Spans.Where(s => s.Kind == 3 && s.Resource.GetValueOrDefault("service.name") == "loadlab").ToList();
        Assert.Equal(20, receiver.Spans.Count(s => s.IsRoot && s.Resource.GetValueOrDefault("service.name") == "loadlab"));
        Assert.InRange(clients.Count, 40, 60);
        Assert.True(
            await receiver.WaitForAsync(spans => spans.Count(s => s.Kind == 2 && s.Resource.GetValueOrDefault("service.name") != "loadlab") >= clients.Count, TimeSpan.FromSeconds(15)),
            "the target's server spans did not arrive");
        var servers = receiver.Spans.Where(s => s.Kind == 2 && s.Resource.GetValueOrDefault("service.name") != "loadlab").ToList();
        foreach (var client in clients)
        {
            // The target's span is a child of the harness's request span: one trace from load generator to service.
            var server = Assert.Single(servers, s => s.ParentSpanId == client.SpanId);
            Assert.Equal(client.TraceId, server.TraceId);
            Assert.Equal(1u, server.Flags & 1);
        }
    }

    /// <summary>A child starts and ends within its parent (to the microsecond: both clocks are the same here).</summary>
    private static void Within(ReceivedSpan parent, ReceivedSpan child)
    {
        const ulong slack = 1_000;
        Assert.True(child.StartTimeUnixNano + slack >= parent.StartTimeUnixNano, $"{child} starts before {parent}");
        Assert.True(child.EndTimeUnixNano <= parent.EndTimeUnixNano + slack, $"{child} ends after {parent}");
        Assert.True(child.EndTimeUnixNano >= child.StartTimeUnixNano, $"{child} ends before it starts");
    }
}
