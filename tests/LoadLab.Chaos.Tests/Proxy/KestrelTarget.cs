using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
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
        await app.StartAsync();
        target.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
