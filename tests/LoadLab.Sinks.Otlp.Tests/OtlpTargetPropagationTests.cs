using System.Diagnostics;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Telemetry;
using LoadLab.TestUtils.Servers;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LoadLab.Sinks.Otlp.Tests;

/// <summary>
/// A target service (Kestrel with OpenTelemetry ASP.NET Core instrumentation, exporting to the same receiver, as the
/// sample targets do) sees the harness's W3C traceparent: its server spans join head-sampled harness traces.
/// </summary>
public class OtlpTargetPropagationTests
{
    private static readonly ActivitySource s_engine = new(TraceConventions.ActivitySourceName);
    private static readonly ActivitySource s_http = new(TraceConventions.HttpActivitySourceName);

    [Fact]
    public async Task Otlp_TargetServerSpans_ShareTheHarnessTraceIdsOfSampledIterations()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var target = await StartTargetAsync(receiver.TracesUrl);
        var targetUrl = new Uri(target.Urls.First() + "/pay");
        var runId = "otlp-target-" + Guid.NewGuid().ToString("N")[..6];
        var sink = OtlpSinks.Create(new SinkCreationContext
        {
            Argument = receiver.BaseAddress.ToString(),
            Configuration = new Dictionary<string, string> { ["sample"] = "0.5", ["slow"] = "off", ["interval"] = "100ms" },
        });
        await sink.StartAsync(new SinkContext { RunId = runId, RunLabels = LabelSet.Of(("release", "1.2.3"), ("environment", "test")) }, CancellationToken.None);
        using var http = new HttpClient();
        var iterations = new List<(string TraceId, string ClientSpanId, bool Sampled)>();
        for (var i = 0; i < 20; i++)
        {
            using var root = s_engine.StartActivity("iteration checkout")!;
            string clientSpanId;
            using (var client = s_http.StartActivity("POST", ActivityKind.Client)!)
            {
                clientSpanId = client.SpanId.ToHexString();
                using var request = new HttpRequestMessage(HttpMethod.Post, targetUrl);

                // What the HTTP layer does: W3C traceparent of the client span, sampled flag from the head decision.
                request.Headers.Remove("traceparent");
                request.Headers.Add("traceparent", client.Id);
                using var response = await http.SendAsync(request);
                client.SetTag("http.response.status_code", (int)response.StatusCode);
            }

            root.SetTag(TraceConventions.StatusTag, "ok");
            iterations.Add((root.TraceId.ToHexString(), clientSpanId, root.Recorded));
        }

        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await sink.StopAsync(new RunSummary { Result = new RunResult() }, bound.Token);
        }

        var sampled = iterations.Where(i => i.Sampled).ToList();
        Assert.NotEmpty(sampled);
        Assert.True(
            await receiver.WaitForAsync(spans => spans.Count(s => s.Attributes.GetValueOrDefault("url.path") == "/pay") >= sampled.Count, TimeSpan.FromSeconds(15)),
            "target spans did not arrive");
        // The receiver is an ASP.NET Core app in this process too: keep the target's own route only.
        var serverSpans = receiver.Spans
            .Where(s => s.Resource.GetValueOrDefault("service.name") == "checkout-api" && s.Attributes.GetValueOrDefault("url.path") == "/pay")
            .ToList();
        foreach (var iteration in sampled)
        {
            var server = Assert.Single(serverSpans, s => s.TraceId == iteration.TraceId);
            Assert.Equal(2, server.Kind);
            Assert.Equal(iteration.ClientSpanId, server.ParentSpanId);
            Assert.Contains(receiver.Spans, s => s.TraceId == iteration.TraceId && s.Resource.GetValueOrDefault("service.name") == "loadlab" && s.IsRoot);
        }

        // Unsampled iterations carry the flag off: the target records nothing for them.
        Assert.Equal(sampled.Select(i => i.TraceId).ToHashSet(), serverSpans.Select(s => s.TraceId).ToHashSet());
        await sink.DisposeAsync();
    }

    private static async Task<Target> StartTargetAsync(Uri traces)
    {
        var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("checkout-api"))
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddAspNetCoreInstrumentation()
            .AddOtlpExporter(o =>
            {
                o.Endpoint = traces;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 100;
            })
            .Build();
        var app = LoopbackWebApp.Create();
        app.MapPost("/pay", () => "ok");
        await app.StartOnLoopbackAsync();
        return new Target(app, tracing);
    }

    private sealed class Target(WebApplication app, TracerProvider tracing) : IAsyncDisposable
    {
        public ICollection<string> Urls => app.Urls;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            tracing.Dispose();
        }
    }
}
