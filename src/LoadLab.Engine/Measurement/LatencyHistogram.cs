using HdrHistogram;
using LoadLab.Histograms;

namespace LoadLab.Engine.Measurement;

/// <summary>
/// A thread-safe HdrHistogram of microseconds (1 µs to 1 h, 3 significant digits). Its memory is fixed
/// at creation, so a run of a day costs what a run of a minute does.
/// </summary>
internal sealed class LatencyHistogram
{
    private readonly LongConcurrentHistogram _histogram = new(1, MeasurementConstants.HighestMicros, MeasurementConstants.SignificantDigits);

    public long TotalCount => _histogram.TotalCount;

    public void Record(long micros) => _histogram.RecordValue(Clamp(micros));

    /// <summary>Records with HdrHistogram's expected-interval correction (closed model with pacing).</summary>
    public void RecordCorrected(long micros, long expectedIntervalMicros) =>
        _histogram.RecordValueWithExpectedInterval(Clamp(micros), expectedIntervalMicros);

    public HistogramSnapshot Snapshot() => MeasurementConstants.ToSnapshot(_histogram);

    internal static long Clamp(long micros) => Math.Clamp(micros, 0, MeasurementConstants.HighestMicros);
}

/// <summary>An HdrHistogram interval recorder: record from many threads, take and reset once a second.</summary>
internal sealed class IntervalHistogram
{
    private readonly Recorder _recorder = new(1, MeasurementConstants.HighestMicros, MeasurementConstants.SignificantDigits,
        (id, low, high, digits) => new LongHistogram(id, low, high, digits));

    private HistogramBase? _recycle;

    public void Record(long micros) => _recorder.RecordValue(LatencyHistogram.Clamp(micros));

    /// <summary>Returns what was recorded since the previous call. Only one thread may call it.</summary>
    public HistogramSnapshot TakeInterval()
    {
        var interval = _recorder.GetIntervalHistogram(_recycle);
        var snapshot = MeasurementConstants.ToSnapshot(interval);
        _recycle = interval;
        return snapshot;
    }
}

internal static class MeasurementConstants
{
    public const long HighestMicros = 3_600_000_000L;
    public const int SignificantDigits = 3;

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
