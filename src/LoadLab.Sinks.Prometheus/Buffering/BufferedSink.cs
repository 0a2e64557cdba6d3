using System.Threading.Channels;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;

namespace LoadLab.Sinks.Prometheus.Buffering;

/// <summary>One <see cref="ITelemetrySink.Publish"/> call: a full snapshot of all series.</summary>
/// <param name="Samples">The samples (a copy).</param>
/// <param name="Weight">How many backend samples it expands to (a histogram is many series).</param>
internal sealed record SampleBatch(MetricSample[] Samples, long Weight);

/// <summary>
/// The base of the pushing sinks (k6 <c>SampleBuffer</c> + <c>PeriodicFlusher</c>): <see cref="Publish"/> copies the
/// snapshot into a bounded <see cref="Channel{T}"/> (drop-oldest, drops counted) and returns; a flush loop driven by
/// <see cref="TimeProvider.CreateTimer"/> hands what accumulated to <see cref="FlushAsync"/>; <see cref="StopAsync"/>
/// waits for the loop and does one last flush with the final samples.
/// </summary>
internal abstract class BufferedSink : ITelemetrySink
{
    private readonly Channel<SampleBatch> _channel;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _loopCancellation = new();
    private readonly bool _latestOnly;
    private readonly object _errorGate = new();
    private ITimer? _timer;
    private Task? _loop;
    private volatile bool _stopped;
    private long _sent;
    private long _dropped;
    private long _errors;
    private string? _lastError;

    /// <param name="name">The sink name.</param>
    /// <param name="flushInterval">How often to flush.</param>
    /// <param name="capacity">How many snapshots may wait for a flush.</param>
    /// <param name="latestOnly">Full snapshots supersede each other (a push of current state): overflow is not a loss.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    protected BufferedSink(string name, TimeSpan flushInterval, int capacity, bool latestOnly, TimeProvider timeProvider, ILogger logger)
    {
        Name = name;
        FlushInterval = flushInterval;
        TimeProvider = timeProvider;
        Logger = logger;
        _latestOnly = latestOnly;
        _channel = Channel.CreateBounded<SampleBatch>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                if (!_latestOnly)
                {
                    CountDropped(dropped.Weight);
                }
            });
    }

    public string Name { get; }

    protected TimeSpan FlushInterval { get; }

    protected TimeProvider TimeProvider { get; }

    protected ILogger Logger { get; }

    protected SinkContext Context { get; private set; } = new();

    public async ValueTask StartAsync(SinkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        await OnStartAsync(context, cancellationToken).ConfigureAwait(false);
        _timer = TimeProvider.CreateTimer(_ => _signal.Writer.TryWrite(true), null, FlushInterval, FlushInterval);
        _loop = Task.Run(FlushLoopAsync, CancellationToken.None);
    }

    public void Publish(ReadOnlySpan<MetricSample> samples)
    {
        try
        {
            if (_stopped || samples.IsEmpty)
            {
                return;
            }

            var copy = samples.ToArray();
            _channel.Writer.TryWrite(new SampleBatch(copy, Weigh(copy)));
        }
        catch (Exception ex)
        {
            // Publish never throws into the engine; the failure is counted and reported.
            RecordError(ex.Message);
        }
    }

    public async ValueTask StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        using (cancellationToken.Register(() => _loopCancellation.Cancel()))
        {
            _signal.Writer.TryComplete();
            if (_loop is not null)
            {
                await _loop.ConfigureAwait(false);
            }
        }

        var final = summary.FinalSamples.ToArray();
        if (final.Length > 0)
        {
            // The channel is closed to Publish now (_stopped), so this write cannot race with one.
            _channel.Writer.TryWrite(new SampleBatch(final, Weigh(final)));
        }

        _channel.Writer.TryComplete();
        await FlushOnceAsync(final: true, cancellationToken).ConfigureAwait(false);
        await OnStoppedAsync(cancellationToken).ConfigureAwait(false);
    }

    public SinkReport GetReport()
    {
        var report = new SinkReport
        {
            Name = Name,
            Endpoint = Endpoint,
            Sent = Interlocked.Read(ref _sent),
            Dropped = Interlocked.Read(ref _dropped),
            Errors = Interlocked.Read(ref _errors),
        };
        lock (_errorGate)
        {
            report.LastError = _lastError;
        }

        report.Delivered = IsDelivered(report);
        return report;
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _loopCancellation.CancelAsync().ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        _signal.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await OnDisposeAsync().ConfigureAwait(false);
        _loopCancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Gets where the sink sends data, without credentials.</summary>
    protected abstract string Endpoint { get; }

    protected virtual ValueTask OnStartAsync(SinkContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Sends what accumulated. Exceptions are caught, counted and logged by the caller.</summary>
    /// <param name="batches">The snapshots since the last flush, oldest first.</param>
    /// <param name="final">Whether this is the last flush (nothing may be kept for later).</param>
    /// <param name="cancellationToken">Cancelled when stop gives up.</param>
    /// <returns>A task.</returns>
    protected abstract Task FlushAsync(IReadOnlyList<SampleBatch> batches, bool final, CancellationToken cancellationToken);

    protected virtual ValueTask OnStoppedAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected virtual ValueTask OnDisposeAsync() => ValueTask.CompletedTask;

    protected virtual long Weigh(MetricSample[] samples) => samples.Length;

    protected virtual bool IsDelivered(SinkReport report) => report.Dropped == 0 && report.Errors == 0;

    protected void CountSent(long count) => Interlocked.Add(ref _sent, count);

    protected void CountDropped(long count) => Interlocked.Add(ref _dropped, count);

    protected void RecordError(string message)
    {
        Interlocked.Increment(ref _errors);
        lock (_errorGate)
        {
            _lastError = message;
        }
    }

    private async Task FlushLoopAsync()
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(_loopCancellation.Token).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                await FlushOnceAsync(final: false, _loopCancellation.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stop gave up waiting or the sink was disposed.
        }
    }

    private async Task FlushOnceAsync(bool final, CancellationToken cancellationToken)
    {
        var batches = new List<SampleBatch>();
        while (_channel.Reader.TryRead(out var batch))
        {
            batches.Add(batch);
        }

        if (batches.Count == 0 && !final)
        {
            return;
        }

        try
        {
            await FlushAsync(batches, final, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !final)
        {
            throw;
        }
        catch (Exception ex)
        {
            RecordError(ex.Message);
            Logger.LogWarning("Telemetry sink {Sink} failed to flush: {Error}", Name, ex.Message);
        }
    }
}
