using System.Collections.Concurrent;
using System.Net;
using System.Text;
using LoadLab.Targets.Observability;
using LoadLab.TestUtils.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LoadLab.Targets.Tests.Observability;

public class TracingTests
{
    [Fact]
    public async Task Export_OtlpEndpointSet_EachServiceExportsOnlyItsOwnSpansInTheCallersTrace()
    {
        var payloads = new ConcurrentQueue<(string ContentType, byte[] Body)>();
        await using var receiver = await StartReceiverAsync(payloads);
        var options = TestTargets.Options();
        options.OtlpEndpoint = receiver.Url;
        var traceId = "0af7651916cd43dd8448eb211c80319c";

        await using (var host = await TestTargets.StartAsync(options))
        {
            using var caller = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null });
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.ApiUrl, "/v1/items/1"));
            request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
            using var response = await caller.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var payments = new HttpClient();
            (await payments.GetAsync(new Uri(host.PaymentsUrl, "/health"))).Dispose();
        }

        // Disposing the host flushes the batch exporters.
        var traceIdBytes = Convert.FromHexString(traceId);
        var all = payloads.ToArray();
        Assert.NotEmpty(all);
        Assert.All(all, p => Assert.Equal("application/x-protobuf", p.ContentType));
        var withTrace = all.Where(p => Contains(p.Body, traceIdBytes)).ToArray();
        Assert.NotEmpty(withTrace);
        Assert.All(withTrace, p =>
        {
            Assert.True(Contains(p.Body, Encoding.UTF8.GetBytes("api-service")));
            Assert.False(Contains(p.Body, Encoding.UTF8.GetBytes("payments-service")));
        });
        Assert.Contains(all, p => Contains(p.Body, Encoding.UTF8.GetBytes("payments-service")));
        Assert.Contains(all, p => Contains(p.Body, Encoding.UTF8.GetBytes("1.2.3-test")));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static async Task<Receiver> StartReceiverAsync(ConcurrentQueue<(string, byte[])> payloads)
    {
        var app = LoopbackWebApp.Create();
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var memory = new MemoryStream();
            await context.Request.Body.CopyToAsync(memory);
            payloads.Enqueue((context.Request.ContentType ?? string.Empty, memory.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        return new Receiver(app, await app.StartOnLoopbackAsync());
    }

    private sealed class Receiver(WebApplication app, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
