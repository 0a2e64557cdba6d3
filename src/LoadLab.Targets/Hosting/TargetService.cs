using System.Net;
using System.Text.Json;
using LoadLab.Targets.Observability;
using LoadLab.Targets.Regression;
using LoadLab.Targets.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace LoadLab.Targets.Hosting;

/// <summary>
/// One sample service on its own Kestrel <see cref="WebApplication"/>: JSON logs, a metrics
/// registry of its own, tracing, regression specs and simulated endpoint latency. The service
/// adds its services and endpoints through the callbacks of <see cref="StartAsync"/>.
/// </summary>
internal sealed class TargetService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TargetService(WebApplication app, ServiceIdentity identity, ServiceMetrics metrics, Uri url)
    {
        _app = app;
        Identity = identity;
        Metrics = metrics;
        Url = url;
    }

    public ServiceIdentity Identity { get; }

    public ServiceMetrics Metrics { get; }

    /// <summary>The base URL, e.g. http://127.0.0.1:41234.</summary>
    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TargetService> StartAsync(
        string serviceName,
        TargetOptions options,
        int port,
        Action<IServiceCollection> configureServices,
        Action<WebApplication> mapEndpoints,
        CancellationToken cancellationToken)
    {
        var identity = new ServiceIdentity(serviceName, options.Environment, options.Release);
        var metrics = new ServiceMetrics(identity);
        var specs = options.Regressions.Select(RegressionSpec.Parse).ToArray();
        var random = new SharedRandom(options.Seed);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = serviceName,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        var bindAddress = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(bindAddress, port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new JsonLoggerProvider(options.LogOutput ?? Console.Out, identity, options.TimeProvider));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddSingleton(options);
        services.AddSingleton(identity);
        services.AddSingleton(metrics);
        services.AddSingleton(random);
        services.AddSingleton<IReadOnlyList<RegressionSpec>>(specs);
        services.AddSingleton<EndpointLatency>();
        Tracing.Add(services, identity, options.OtlpEndpoint);
        configureServices(services);

        var app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<ObservabilityMiddleware>();
        app.UseMiddleware<RegressionMiddleware>();
        var latency = app.Services.GetRequiredService<EndpointLatency>();
        app.Use(async (context, next) =>
        {
            // The endpoint's simulated work: inside the regression middleware, so "+20%" scales it.
            await latency.SimulateAsync(ObservabilityMiddleware.EndpointOf(context), context.RequestAborted);
            await next(context);
        });

        var started = options.TimeProvider.GetUtcNow();
        app.MapGet("/health", (HttpContext context) => TypedResults.Ok(new HealthBody(
            "ok",
            identity.Service,
            identity.Environment,
            identity.Release,
            Math.Round((options.TimeProvider.GetUtcNow() - started).TotalSeconds, 3))));
        app.MapMetrics("/metrics", metrics.Registry);
        mapEndpoints(app);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TargetService(app, identity, metrics, new Uri(address));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private sealed record HealthBody(string Status, string Service, string Environment, string Release, double UptimeSeconds);
}
