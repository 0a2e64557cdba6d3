using HdrHistogram;
using LoadLab.Engine.Measurement;
using LoadLab.Histograms;

namespace LoadLab.Engine.Tests.Measurement;

/// <summary>LoadLab's snapshot must read and write the same bytes HdrHistogram's own library does.</summary>
public class HdrInteropTests
{
    private static readonly long[] s_values = [1, 7, 999, 2048, 2049, 65_432, 1_000_000, 12_345_678, 3_599_999_999];

    [Fact]
    public void Decode_LibraryEncoding_GivesSamePercentiles()
    {
        var lib = new LongHistogram(1, 3_600_000_000, 3);
        foreach (var v in s_values)
        {
            lib.RecordValue(v);
        }

        // The library's public way out is its log format: one line per histogram, base64 of the compressed encoding last.
        using var log = new MemoryStream();
        HistogramLogWriter.Write(log, DateTime.UnixEpoch, lib);
        var line = new StreamReader(new MemoryStream(log.ToArray()), detectEncodingFromByteOrderMarks: true).ReadToEnd().Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0 && char.IsDigit(l[0]));
        var bytes = Convert.FromBase64String(line.Split(',').Last().Trim());
        var ours = HistogramSnapshot.Decode(bytes);
        Assert.Equal(lib.TotalCount, ours.TotalCount);
        foreach (var p in new[] { 10.0, 50, 90, 99, 100 })
        {
            Assert.Equal(lib.GetValueAtPercentile(p), ours.GetValueAtPercentile(p));
        }
    }

    [Fact]
    public void LibraryDecode_OurEncoding_GivesSamePercentiles()
    {
        var b = new HistogramSnapshotBuilder();
        foreach (var v in s_values)
        {
            b.Record(v);
        }

        var ours = b.Build();
        var bytes = ours.EncodeCompressed();
        var lib = HistogramEncoding.DecodeFromCompressedByteBuffer(HdrHistogram.Utilities.ByteBuffer.Allocate(bytes), 0);
        Assert.Equal(ours.TotalCount, lib.TotalCount);
        Assert.Equal(ours.GetValueAtPercentile(50), lib.GetValueAtPercentile(50));
        Assert.Equal(ours.GetValueAtPercentile(99), lib.GetValueAtPercentile(99));
    }

    [Fact]
    public void LatencyHistogram_Snapshot_MatchesRecordedValues()
    {
        var h = new LatencyHistogram();
        foreach (var v in s_values)
        {
            h.Record(v);
        }

        var snap = h.Snapshot();
        Assert.Equal(s_values.Length, snap.TotalCount);
        Assert.InRange(snap.Max, 3_599_999_999, 3_600_000_000 * 1.001);
        Assert.Equal(1, snap.Min);
    }

    [Fact]
    public void RecordCorrected_StallLongerThanInterval_BackfillsMissedSamples()
    {
        var h = new LatencyHistogram();
        h.RecordCorrected(1_000_000, 100_000);
        // HdrHistogram's correction adds 900ms, 800ms, ... 100ms for the iterations a 1 s stall held back.
        Assert.Equal(10, h.Snapshot().TotalCount);
    }
}
