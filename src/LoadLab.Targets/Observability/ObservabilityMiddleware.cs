using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using LoadLab.Targets.Hosting;

namespace LoadLab.Targets.Observability;

/// <summary>
/// Counts and times every request by route template (never the raw URL), logs it as one JSON
/// line, and turns an unhandled exception into a 500 problem. Runs after routing so the
/// endpoint is known, and outside the regression middleware so injected faults are counted.
/// </summary>
internal sealed class ObservabilityMiddleware
{
    /// <summary>The endpoint label of requests that matched no route: bounded cardinality.</summary>
    public const string UnmatchedEndpoint = "unmatched";

    /// <summary>Status recorded when the client went away before the answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    private static readonly HashSet<string> s_knownMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
    };

    private readonly RequestDelegate _next;
    private readonly ServiceMetrics _metrics;
    private readonly ServiceIdentity _identity;
    private readonly ILogger _logger;
    private readonly bool _logRequests;

    public ObservabilityMiddleware(RequestDelegate next, ServiceMetrics metrics, ServiceIdentity identity, TargetOptions options, ILoggerFactory loggerFactory)
    {
        _next = next;
        _metrics = metrics;
        _identity = identity;
        _logRequests = options.LogRequests;
        _logger = loggerFactory.CreateLogger("LoadLab.Targets.Requests");
    }

    public static string EndpointOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? UnmatchedEndpoint;

    public async Task InvokeAsync(HttpContext context)
    {
        Activity.Current?.SetTag(Tracing.InstanceTag, _identity.InstanceId);
        var started = Stopwatch.GetTimestamp();
        var endpoint = EndpointOf(context);
        int status;
        try
        {
            await _next(context);
            status = context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = ClientClosedRequest;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Unhandled error on {Endpoint}", endpoint);
            status = StatusCodes.Status500InternalServerError;
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Problems.Status(status, "Internal server error", "The service failed to handle the request.").ExecuteAsync(context);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var method = s_knownMethods.Contains(context.Request.Method) ? context.Request.Method.ToUpperInvariant() : "OTHER";
        _metrics.ObserveRequest(method, status, endpoint, elapsed.TotalSeconds);
        if (_logRequests)
        {
            _logger.LogInformation(
                "{Method} {Endpoint} answered {StatusCode} in {DurationMs} ms",
                method,
                endpoint,
                status,
                Math.Round(elapsed.TotalMilliseconds, 3));
        }
    }
}
