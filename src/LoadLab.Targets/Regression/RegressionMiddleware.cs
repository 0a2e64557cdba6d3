using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using LoadLab.Targets.Hosting;
using LoadLab.Targets.Simulation;

namespace LoadLab.Targets.Regression;

/// <summary>
/// Applies the release's regression specs: a share of matching requests fails with 500/503 before
/// the handler runs; matching requests are held back by the configured extra latency after it ran
/// (the answer is buffered so the client sees the whole delay).
/// </summary>
internal sealed class RegressionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RegressionSpec[] _errors;
    private readonly RegressionSpec[] _latency;
    private readonly SharedRandom _random;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public RegressionMiddleware(RequestDelegate next, IReadOnlyList<RegressionSpec> specs, SharedRandom random, TargetOptions options, ILoggerFactory loggerFactory)
    {
        _next = next;
        _errors = specs.Where(s => s.Kind == RegressionKind.Errors).ToArray();
        _latency = specs.Where(s => s.Kind == RegressionKind.Latency).ToArray();
        _random = random;
        _timeProvider = options.TimeProvider;
        _logger = loggerFactory.CreateLogger("LoadLab.Targets.Regression");
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        foreach (var spec in _errors)
        {
            if (spec.Matches(path) && _random.NextDouble() < spec.ErrorRate)
            {
                var status = spec.StatusCode ?? (_random.NextDouble() < 0.5 ? StatusCodes.Status500InternalServerError : StatusCodes.Status503ServiceUnavailable);
                _logger.LogWarning("Regression error {StatusCode} injected by spec {Spec}", status, spec.Text);
                var title = status == StatusCodes.Status503ServiceUnavailable ? "Service unavailable" : "Internal server error";
                await Problems.Status(status, title, "The service failed to handle the request.").ExecuteAsync(context);
                return;
            }
        }

        var latency = _latency.Length == 0 ? [] : Array.FindAll(_latency, s => s.Matches(path));
        if (latency.Length == 0)
        {
            await _next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var extra = TimeSpan.Zero;
        foreach (var spec in latency)
        {
            extra += spec.ExtraLatency(elapsed);
        }

        if (extra > TimeSpan.Zero)
        {
            await Task.Delay(extra, _timeProvider, context.RequestAborted);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
