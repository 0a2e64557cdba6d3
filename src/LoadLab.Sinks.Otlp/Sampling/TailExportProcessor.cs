using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace LoadLab.Sinks.Otlp.Sampling;

/// <summary>Settings of the export pipeline.</summary>
internal sealed record ExportOptions(TimeSpan? SlowThreshold, int MaxQueue, int MaxPendingSpans, int BatchSize, TimeSpan ExportInterval, int Retries);

/// <summary>
/// The export side of the trace design (docs/metrics.md, "Traces"), in the shape of OTel's batch processor
/// (a bounded queue, drop-oldest with counted drops, a timer from <see cref="TimeProvider.CreateTimer"/>, and one
/// dedicated export thread: the OTLP exporter sends synchronously, and on the thread pool a blocked export makes
/// the pool add threads, which then spin against the load on a small machine):
/// <list type="bullet">
/// <item>spans of head-sampled traces are queued for export as they end;</item>
/// <item>spans of unsampled (recorded-only) traces wait per trace until the root ends; then, if the iteration failed
/// (status Error or loadlab.status=fail) or was slow, the whole trace is queued ("tail decision at the source"),
/// else it is discarded;</item>
/// <item>roots get <c>loadlab.sampling</c> = head | failed | slow, so a backend query can tell why a trace is there.</item>
/// </list>
/// </summary>
internal sealed class TailExportProcessor : BaseExportProcessor<Activity>
{
    public const string SamplingTag = "loadlab.sampling";

    private readonly ExportOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<Activity> _queue;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ConcurrentDictionary<ActivityTraceId, List<Activity>> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _timer;
    private readonly Thread _loop;
    private volatile bool _completing;
    private int _pendingSpans;
    private int _queued;
    private long _sent;
    private long _dropped;
    private long _errors;
    private long _headTraces;
    private long _failedTraces;
    private long _slowTraces;
    private long _discardedSpans;
    private string? _lastError;

    public TailExportProcessor(BaseExporter<Activity> exporter, ExportOptions options, TimeProvider timeProvider, ILogger logger)
        : base(exporter)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _queue = Channel.CreateBounded<Activity>(
            new BoundedChannelOptions(options.MaxQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                Interlocked.Decrement(ref _queued);
            });
        _timer = timeProvider.CreateTimer(_ => Wake(), null, options.ExportInterval, options.ExportInterval);
        _loop = new Thread(ExportLoop) { IsBackground = true, Name = "LoadLab-OtlpExport" };
        _loop.Start();
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Errors => Interlocked.Read(ref _errors);

    public string? LastError => _lastError;

    public long HeadTraces => Interlocked.Read(ref _headTraces);

    public long FailedTraces => Interlocked.Read(ref _failedTraces);

    public long SlowTraces => Interlocked.Read(ref _slowTraces);

    /// <summary>Gets spans of unsampled, healthy iterations that were recorded and then let go (not a loss).</summary>
    public long DiscardedSpans => Interlocked.Read(ref _discardedSpans);

    public override void OnEnd(Activity data)
    {
        try
        {
            var root = data.ParentSpanId == default;
            if (data.Recorded)
            {
                if (root)
                {
                    data.SetTag(SamplingTag, "head");
                    Interlocked.Increment(ref _headTraces);
                }

                Enqueue(data);
                return;
            }

            if (!data.IsAllDataRequested)
            {
                return;
            }

            if (!root)
            {
                if (Interlocked.Increment(ref _pendingSpans) > _options.MaxPendingSpans)
                {
                    // Too many unfinished unsampled traces: this span could never be exported with its trace.
                    Interlocked.Decrement(ref _pendingSpans);
                    Interlocked.Increment(ref _dropped);
                    return;
                }

                var list = _pending.GetOrAdd(data.TraceId, _ => []);
                lock (list)
                {
                    list.Add(data);
                }

                return;
            }

            // Most roots have no waiting children (the engine keeps an unsampled iteration's own spans as data).
            List<Activity>? children = null;
            if (Volatile.Read(ref _pendingSpans) > 0)
            {
                _pending.TryRemove(data.TraceId, out children);
            }

            var childCount = 0;
            if (children is not null)
            {
                lock (children)
                {
                    childCount = children.Count;
                }

                Interlocked.Add(ref _pendingSpans, -childCount);
            }

            var reason = TailReason(data);
            if (reason is null)
            {
                Interlocked.Add(ref _discardedSpans, childCount + 1);
                return;
            }

            data.SetTag(SamplingTag, reason);
            Interlocked.Increment(ref reason == "failed" ? ref _failedTraces : ref _slowTraces);
            if (children is not null)
            {
                lock (children)
                {
                    foreach (var child in children)
                    {
                        Enqueue(child);
                    }
                }
            }

            Enqueue(data);
        }
        catch (Exception ex)
        {
            // Activity.Stop runs this on the engine's thread: never throw into it.
            RecordError(ex.Message);
        }
    }

    protected override void OnExport(Activity data) => Enqueue(data);

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _queued) > 0 && Stopwatch.GetElapsedTime(start).TotalMilliseconds < timeoutMilliseconds)
        {
            Wake();
            Thread.Sleep(20);
        }

        return Volatile.Read(ref _queued) == 0;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var start = Stopwatch.GetTimestamp();
        _timer.Dispose();
        _queue.Writer.TryComplete();
        _completing = true;
        Wake();
        var finished = _loop.Join(Math.Max(0, timeoutMilliseconds));
        if (!finished)
        {
            _stopping.Cancel();
            _loop.Join(1000);
        }

        // Whatever is still queued was not delivered; unfinished unsampled traces are simply let go.
        var left = 0;
        while (_queue.Reader.TryRead(out _))
        {
            left++;
        }

        Interlocked.Add(ref _dropped, left);
        Interlocked.Add(ref _discardedSpans, Volatile.Read(ref _pendingSpans));
        _pending.Clear();
        var remaining = timeoutMilliseconds - (int)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return exporter.Shutdown(Math.Max(0, remaining)) && finished;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
            _stopping.Dispose();
            _wake.Dispose();
        }

        base.Dispose(disposing);
    }

    private string? TailReason(Activity root)
    {
        if (root.Status == ActivityStatusCode.Error || string.Equals(root.GetTagItem(TraceConventions.StatusTag) as string, "fail", StringComparison.Ordinal))
        {
            return "failed";
        }

        if (_options.SlowThreshold is { } slow)
        {
            var seconds = root.GetTagItem(TraceConventions.ResponseTimeTag) switch
            {
                double d => d,
                float f => f,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => root.Duration.TotalSeconds,
            };
            if (seconds >= slow.TotalSeconds)
            {
                return "slow";
            }
        }

        return null;
    }

    private void Enqueue(Activity activity)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(activity))
        {
            // Shut down already.
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (Volatile.Read(ref _queued) >= _options.BatchSize)
        {
            Wake();
        }
    }

    private void RecordError(string message)
    {
        Interlocked.Increment(ref _errors);
        _lastError = message;
    }

    private void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // A timer tick racing the end.
        }
    }

    private void ExportLoop()
    {
        var batch = new Activity[_options.BatchSize];
        try
        {
            while (!_completing)
            {
                WaitHandle.WaitAny([_wake, _stopping.Token.WaitHandle]);
                _stopping.Token.ThrowIfCancellationRequested();
                SafeDrain(batch);
            }

            // Shutdown: export what is left.
            SafeDrain(batch);
        }
        catch (OperationCanceledException)
        {
            // Shutdown gave up waiting.
        }
    }

    private void SafeDrain(Activity[] batch)
    {
        try
        {
            Drain(batch);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An exception on this thread would end the process: count it and go on with the next batch.
            RecordError("OTLP export loop: " + e.Message);
        }
    }

    private void Drain(Activity[] batch)
    {
        while (true)
        {
            var count = 0;
            while (count < batch.Length && _queue.Reader.TryRead(out var activity))
            {
                batch[count++] = activity;
            }

            if (count == 0)
            {
                return;
            }

            Export(batch, count);
            Interlocked.Add(ref _queued, -count);
            Array.Clear(batch, 0, count);
        }
    }

    private void Export(Activity[] items, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            ExportResult result;
            _lastError = null;
            try
            {
                result = exporter.Export(new Batch<Activity>(items, count));
            }
            catch (Exception ex)
            {
                _lastError = $"OTLP export failed: {ex.Message}";
                result = ExportResult.Failure;
            }

            if (result == ExportResult.Success)
            {
                Interlocked.Add(ref _sent, count);
                return;
            }

            RecordError(_lastError ?? $"OTLP export of {count} spans failed (see the OpenTelemetry-Exporter-OpenTelemetryProtocol event source for the cause)");
            if (attempt >= _options.Retries || _stopping.IsCancellationRequested)
            {
                _logger.LogWarning("OTLP export of {Count} spans failed {Attempts} times; dropping them", count, attempt + 1);
                Interlocked.Add(ref _dropped, count);
                return;
            }

            Sleep(TimeSpan.FromMilliseconds(200 << attempt));
        }
    }

    /// <summary>Waits on this thread for <paramref name="delay"/> by the run's clock, or until shutdown gives up.</summary>
    private void Sleep(TimeSpan delay)
    {
        using var elapsed = new ManualResetEventSlim(false);
        using var timer = _timeProvider.CreateTimer(static e => ((ManualResetEventSlim)e!).Set(), elapsed, delay, Timeout.InfiniteTimeSpan);
        WaitHandle.WaitAny([elapsed.WaitHandle, _stopping.Token.WaitHandle]);
    }
}
