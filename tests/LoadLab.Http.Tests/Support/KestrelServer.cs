using System.Text.Json;
using LoadLab.TestUtils.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LoadLab.Http.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1 (port 0) with a few minimal endpoints.</summary>
internal sealed class KestrelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The traceparent headers the server received, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string?> TraceParents { get; } = new();

    public static async Task<KestrelServer> StartAsync(bool http2 = false)
    {
        var app = LoopbackWebApp.Create(http2
            ? Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2
            : Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
        KestrelServer? server = null;
        app.Use(async (context, next) =>
        {
            server!.TraceParents.Enqueue(context.Request.Headers["traceparent"].FirstOrDefault());
            await next(context);
        });
        app.MapGet("/hello", () => TypedResults.Text("hello world"));
        app.MapGet("/status/{code:int}", (int code) => TypedResults.StatusCode(code));
        app.MapGet("/json", () => TypedResults.Json(new { status = "approved", amount = 12.5, captured = true, items = new[] { new { id = "a1" }, new { id = "b2" } } }));
        app.MapGet("/trace", (HttpContext c) => TypedResults.Text(c.Request.Headers["traceparent"].FirstOrDefault() ?? ""));
        app.MapGet("/version", (HttpContext c) => TypedResults.Text(c.Request.Protocol));
        app.MapGet("/header", (HttpContext c) =>
        {
            c.Response.Headers["X-Request-Id"] = "abc-123";
            return TypedResults.Text("ok");
        });
        app.MapPost("/echo", async (HttpContext c) =>
        {
            using var doc = await JsonDocument.ParseAsync(c.Request.Body);
            c.Response.Headers["X-Echo"] = c.Request.Headers["X-Test"].ToString();
            return TypedResults.Json(new { received = doc.RootElement.Clone(), content_type = c.Request.ContentType });
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new KestrelServer(app, new Uri(address));
        return server;
    }

    public string At(string path) => new Uri(Url, path).ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
