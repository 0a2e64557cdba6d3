using System.Diagnostics;
using LoadLab.Engine.Scenarios;

namespace LoadLab.Engine.Tracing;

/// <summary>Adds a deferred span's attributes once it becomes an <see cref="Activity"/>.</summary>
/// <param name="activity">The span, started and not yet stopped.</param>
/// <param name="span">What was kept of it.</param>
public delegate void DeferredSpanEnricher(Activity activity, in DeferredSpan span);

/// <summary>A child span of an unsampled iteration, kept as plain data until the tail decision.</summary>
public readonly struct DeferredSpan
{
    internal DeferredSpan(ActivitySource source, string name, ActivityKind kind, int parent, long start, DeferredSpanEnricher? enricher, object? state)
    {
        Source = source;
        Name = name;
        Kind = kind;
        Parent = parent;
        StartTimestamp = start;
        Enricher = enricher;
        State = state;
    }

    internal DeferredSpan(in DeferredSpan started, long end, int statusCode, object? detail, string? errorKind)
    {
        this = started;
        EndTimestamp = end;
        StatusCode = statusCode;
        Detail = detail;
        ErrorKind = errorKind;
        Ended = true;
    }

    /// <summary>Gets the state given when the span started (for a step, its name; for a request, the request).</summary>
    public object? State { get; }

    /// <summary>Gets the detail given when the span ended (for a request, the protocol version).</summary>
    public object? Detail { get; }

    /// <summary>Gets the status code given when the span ended (0 when none).</summary>
    public int StatusCode { get; }

    /// <summary>Gets the error kind when the span failed, else null.</summary>
    public string? ErrorKind { get; }

    internal ActivitySource Source { get; }

    internal string Name { get; }

    internal ActivityKind Kind { get; }

    internal int Parent { get; }

    internal long StartTimestamp { get; }

    internal long EndTimestamp { get; }

    internal bool Ended { get; }

    internal DeferredSpanEnricher? Enricher { get; }
}

/// <summary>
/// The tail side of the trace design, kept cheap. A run whose sinks export failed and slow iterations (the OTLP
/// sink) records every iteration's root span, but a root that the head did not sample keeps its steps and HTTP
/// requests here, as timestamps and a few fields, instead of as <see cref="Activity"/> objects with tags. When the
/// iteration ends failed or slow, <see cref="Materialize"/> turns them into real child spans (with their original
/// start and end times) before the root ends, so the exporter sees the same tree a head-sampled iteration has;
/// a healthy iteration just lets them go. The HTTP request of an unsampled iteration carries the root's span id
/// in <c>traceparent</c> (the target does not record an unsampled trace, so no span of its names a parent that
/// the harness did not export).
/// </summary>
public sealed class IterationTrace
{
    private readonly Lock _lock = new();
    private DeferredSpan[] _spans = [];
    private int _count;
    private int _open = -1;

    internal IterationTrace(Activity root, long rootStartTimestamp)
    {
        Root = root;
        RootStartTimestamp = rootStartTimestamp;
    }

    /// <summary>Gets the iteration's root span (recorded, not sampled).</summary>
    public Activity Root { get; }

    internal long RootStartTimestamp { get; }

    internal int Count => _count;

    /// <summary>Gets the deferred trace of an iteration, or null when its spans are real activities (or there are none).</summary>
    /// <param name="context">The iteration's context.</param>
    /// <returns>The trace, or null.</returns>
    public static IterationTrace? Of(IScenarioContext? context) => (context as ScenarioContext)?.DeferredTrace;

    /// <summary>Starts a deferred span; a step becomes the parent of the spans started until it ends.</summary>
    /// <param name="source">The source the span will come from.</param>
    /// <param name="name">The span name.</param>
    /// <param name="kind">The span kind (<see cref="ActivityKind.Internal"/> spans nest, others are leaves).</param>
    /// <param name="enricher">Adds the attributes when the span is materialized.</param>
    /// <param name="state">State for the enricher.</param>
    /// <returns>The span's index, for <see cref="End"/>.</returns>
    public int Start(ActivitySource source, string name, ActivityKind kind, DeferredSpanEnricher? enricher, object? state)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_count == _spans.Length)
            {
                Array.Resize(ref _spans, Math.Max(4, _count * 2));
            }

            var index = _count++;
            _spans[index] = new DeferredSpan(source, name, kind, _open, now, enricher, state);
            if (kind == ActivityKind.Internal)
            {
                _open = index;
            }

            return index;
        }
    }

    /// <summary>Ends a deferred span.</summary>
    /// <param name="index">What <see cref="Start"/> returned.</param>
    /// <param name="statusCode">A status code for the enricher (0 when none).</param>
    /// <param name="detail">More state for the enricher.</param>
    /// <param name="errorKind">The error kind when the span failed, else null.</param>
    public void End(int index, int statusCode = 0, object? detail = null, string? errorKind = null)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if ((uint)index >= (uint)_count)
            {
                return;
            }

            ref var span = ref _spans[index];
            span = new DeferredSpan(span, now, statusCode, detail, errorKind);
            if (_open == index)
            {
                _open = span.Parent;
            }
        }
    }

    /// <summary>
    /// Turns the kept spans into activities under the root, with their own start and end times; a span that never
    /// ended ends with the iteration. Call before the root ends, only for an iteration that will be exported.
    /// </summary>
    /// <param name="endTimestamp">The iteration's end (Stopwatch timestamp).</param>
    internal void Materialize(long endTimestamp)
    {
        DeferredSpan[] spans;
        int count;
        lock (_lock)
        {
            spans = _spans;
            count = _count;
            _count = 0;
        }

        if (count == 0)
        {
            return;
        }

        var saved = Activity.Current;
        var rootStart = Root.StartTimeUtc;
        var activities = new Activity?[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                ref readonly var span = ref spans[i];
                var parent = span.Parent >= 0 && activities[span.Parent] is { } p ? p.Context : Root.Context;
                var activity = span.Source.CreateActivity(span.Name, span.Kind, parent);
                if (activity is null)
                {
                    continue;
                }

                activity.SetStartTime(Utc(rootStart, span.StartTimestamp));
                activity.Start();
                span.Enricher?.Invoke(activity, span);
                if (span.ErrorKind is { } error)
                {
                    activity.SetStatus(ActivityStatusCode.Error, error);
                }

                activities[i] = activity;
            }

            // Children end before their parents, as they would have.
            for (var i = count - 1; i >= 0; i--)
            {
                if (activities[i] is not { } activity)
                {
                    continue;
                }

                ref readonly var span = ref spans[i];
                activity.SetEndTime(Utc(rootStart, span.Ended ? span.EndTimestamp : endTimestamp));
                activity.Stop();
            }
        }
        finally
        {
            Activity.Current = saved;
        }
    }

    private DateTime Utc(DateTime rootStart, long timestamp) =>
        rootStart + Stopwatch.GetElapsedTime(RootStartTimestamp, Math.Max(timestamp, RootStartTimestamp));
}

/// <summary>The tail export the run's sinks asked for (<see cref="Telemetry.SinkContext.RequestTailExport"/>).</summary>
/// <param name="SlowThreshold">The response time from which an iteration is slow, or null.</param>
internal sealed record TailExport(TimeSpan? SlowThreshold);
