using LoadLab.TestUtils.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LoadLab.Chaos.Tests.Proxy;

/// <summary>A real Kestrel service on 127.0.0.1 and a free port: GET /v1/items, POST /v1/payments, /health.</summary>
internal sealed class KestrelTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _payments;
    private int _requests;

    private KestrelTarget(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Payments => Volatile.Read(ref _payments);

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<KestrelTarget> StartAsync()
    {
        var app = LoopbackWebApp.Create();
        var target = new KestrelTarget(app);
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref target._requests);
            await next(context);
        });
        app.MapGet("/v1/items", () => TypedResults.Text("[\"a\",\"b\"]", "application/json"));
        app.MapGet("/health", () => TypedResults.Text("ok"));
        app.MapPost("/v1/payments", () =>
        {
            Interlocked.Increment(ref target._payments);
            return TypedResults.Json(new { status = "approved" }, statusCode: 201);
        });
        target.Url = await app.StartOnLoopbackAsync();
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
