using System.Collections.Concurrent;
using System.Diagnostics;
using LoadLab.Engine.Measurement;
using LoadLab.Engine.Tracing;
using LoadLab.Metrics;
using LoadLab.Telemetry;

namespace LoadLab.Engine.Scenarios;

/// <summary>Runs and measures a named step of an iteration (NBomber's <c>Step.Run</c>).</summary>
public static class Step
{
    internal static readonly ActivitySource Source = new(TraceConventions.ActivitySourceName);

    private static readonly ConcurrentDictionary<string, string> s_spanNames = new(StringComparer.Ordinal);
    private static readonly DeferredSpanEnricher s_enrichDeferred = EnrichDeferred;

    /// <summary>Runs a step: times it, counts it, and records its errors under the step's name.</summary>
    /// <param name="name">The step name (a fixed name, never a URL or id: it becomes a label).</param>
    /// <param name="context">The iteration's context.</param>
    /// <param name="run">The step.</param>
    /// <returns>The step's response; an exception becomes a failed response of kind exception or timeout.</returns>
    public static async Task<Response> Run(string name, IScenarioContext context, Func<Task<Response>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return await Run<Response>(name, context, run, r => r).ConfigureAwait(false);
    }

    /// <summary>Runs a step that returns a payload.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="name">The step name.</param>
    /// <param name="context">The iteration's context.</param>
    /// <param name="run">The step.</param>
    /// <returns>The step's response.</returns>
    public static Task<Response<T>> Run<T>(string name, IScenarioContext context, Func<Task<Response<T>>> run) =>
        Run(name, context, run, r => Response.Fail<T>(r.StatusCode, r.Message, r.SizeBytes, r.ErrorKind, r.SentBytes));

    private static async Task<TResponse> Run<TResponse>(string name, IScenarioContext context, Func<Task<TResponse>> run, Func<Response, TResponse> convert)
        where TResponse : Response
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        var ctx = context as ScenarioContext;
        var start = Stopwatch.GetTimestamp();
        var intended = ctx?.PendingIntendedTimestamp ?? start;
        var deferred = ctx?.DeferredTrace;
        Activity? activity = null;
        var deferredSpan = -1;
        if (deferred is not null && Activity.Current == deferred.Root)
        {
            deferredSpan = deferred.Start(Source, SpanName(name), ActivityKind.Internal, s_enrichDeferred, name);
        }
        else if (Source.HasListeners())
        {
            activity = Source.StartActivity(SpanName(name));
            activity?.SetTag(TraceConventions.ScenarioTag, context.ScenarioName);
            activity?.SetTag(TraceConventions.StepTag, name);
        }

        Response response;
        try
        {
            response = await run().ConfigureAwait(false);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            response = FromException(e);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }

        var end = Stopwatch.GetTimestamp();
        if (ctx is not null)
        {
            ctx.PendingIntendedTimestamp = end;
            if (ctx.Stats is { } stats)
            {
                var series = stats.Step(name);
                var responseMicros = Micros(end - intended);
                series.Record(!response.IsError, responseMicros, Micros(end - start), 0, response.ErrorKind, response.StatusCode, response.SentBytes, response.SizeBytes);
                if (activity is { Recorded: true })
                {
                    (response.IsError ? series.FailExemplars : series.OkExemplars).Offer(new Exemplar(
                        responseMicros / 1e6, activity.TraceId.ToHexString(), activity.SpanId.ToHexString(), DateTimeOffset.UtcNow));
                }
            }
        }

        if (activity is not null)
        {
            activity.SetTag(TraceConventions.StatusTag, response.IsError ? "fail" : "ok");
            if (response.IsError)
            {
                activity.SetTag(TraceConventions.ErrorKindTag, response.ErrorKind);
                activity.SetStatus(ActivityStatusCode.Error, response.ErrorKind);
            }

            activity.Dispose();
        }
        else if (deferredSpan >= 0)
        {
            deferred!.End(deferredSpan, 0, context.ScenarioName, response.IsError ? response.ErrorKind ?? MetricNames.ErrorKinds.Exception : null);
        }

        return response as TResponse ?? convert(response);
    }

    /// <summary>"step NAME", made once per step name (a step runs thousands of times a second).</summary>
    private static string SpanName(string name) =>
        s_spanNames.TryGetValue(name, out var span) ? span : s_spanNames.GetOrAdd(name, static n => "step " + n);

    /// <summary>The attributes a step span has, for a step kept as data (<see cref="IterationTrace"/>).</summary>
    private static void EnrichDeferred(Activity activity, in DeferredSpan span)
    {
        activity.SetTag(TraceConventions.ScenarioTag, span.Detail);
        activity.SetTag(TraceConventions.StepTag, span.State);
        activity.SetTag(TraceConventions.StatusTag, span.ErrorKind is null ? "ok" : "fail");
        if (span.ErrorKind is not null)
        {
            activity.SetTag(TraceConventions.ErrorKindTag, span.ErrorKind);
        }
    }

    internal static Response FromException(Exception e) => e switch
    {
        TimeoutException or OperationCanceledException => Response.Fail(message: "timed out", errorKind: MetricNames.ErrorKinds.Timeout),
        _ => Response.Fail(message: e.GetType().Name, errorKind: MetricNames.ErrorKinds.Exception),
    };

    internal static long Micros(long stopwatchTicks) => stopwatchTicks * 1_000_000 / Stopwatch.Frequency;
}
