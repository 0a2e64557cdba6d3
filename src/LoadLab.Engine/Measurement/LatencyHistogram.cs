using HdrHistogram;
using LoadLab.Histograms;

namespace LoadLab.Engine.Measurement;

/// <summary>
/// A latency distribution of microseconds (1 µs to 1 h, 3 significant digits) that many threads record
/// into at once. Writers go through an HdrHistogram <see cref="Recorder"/> (wait-free for writers);
/// readers move what was recorded into a cumulative histogram that only they touch. Memory is fixed at
/// creation, so a run of a day costs what a run of a minute does.
/// </summary>
internal sealed class LatencyHistogram
{
    private readonly Recorder _recorder = MeasurementConstants.NewRecorder();
    private readonly LongHistogram _total = new(1, MeasurementConstants.HighestMicros, MeasurementConstants.SignificantDigits);
    private readonly Lock _lock = new();
    private HistogramBase? _recycle;

    public void Record(long micros) => _recorder.RecordValue(Clamp(micros));

    /// <summary>Records with HdrHistogram's expected-interval correction (closed model with pacing).</summary>
    public void RecordCorrected(long micros, long expectedIntervalMicros) =>
        _recorder.RecordValueWithExpectedInterval(Clamp(micros), expectedIntervalMicros);

    /// <summary>Returns everything recorded so far.</summary>
    public HistogramSnapshot Snapshot()
    {
        lock (_lock)
        {
            var interval = _recorder.GetIntervalHistogram(_recycle);
            _total.Add(interval);
            _recycle = interval;
            return MeasurementConstants.ToSnapshot(_total);
        }
    }

    internal static long Clamp(long micros) => Math.Clamp(micros, 0, MeasurementConstants.HighestMicros);
}

/// <summary>An HdrHistogram interval recorder: record from many threads, take and reset once a second.</summary>
internal sealed class IntervalHistogram
{
    private readonly Recorder _recorder = MeasurementConstants.NewRecorder();
    private readonly Lock _lock = new();
    private HistogramBase? _recycle;

    public void Record(long micros) => _recorder.RecordValue(LatencyHistogram.Clamp(micros));

    /// <summary>Returns what was recorded since the previous call.</summary>
    public HistogramSnapshot TakeInterval()
    {
        lock (_lock)
        {
            var interval = _recorder.GetIntervalHistogram(_recycle);
            var snapshot = MeasurementConstants.ToSnapshot(interval);
            _recycle = interval;
            return snapshot;
        }
    }
}

internal static class MeasurementConstants
{
    public const long HighestMicros = 3_600_000_000L;
    public const int SignificantDigits = 3;

    // Many iterations record at once: the recorder's histograms must take concurrent writes.
    public static Recorder NewRecorder() => new(1, HighestMicros, SignificantDigits,
        (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));

    public static HistogramSnapshot ToSnapshot(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return HistogramSnapshot.Empty;
        }

        var builder = new HistogramSnapshotBuilder(HistogramLayout.Default);
        foreach (var v in histogram.RecordedValues())
        {
            // RecordedValues reports a bucket by its highest equivalent value; clamping keeps the top bucket's index.
            builder.Record(Math.Min(v.ValueIteratedTo, HighestMicros), v.CountAtValueIteratedTo);
        }

        return builder.Build();
    }
}
