using LoadLab.Histograms;

namespace LoadLab.Abstractions.Tests.Histograms;

public class HistogramSnapshotTests
{
    private static HistogramSnapshot Of(params long[] values)
    {
        var b = new HistogramSnapshotBuilder();
        foreach (var v in values)
        {
            b.Record(v);
        }

        return b.Build();
    }

    [Fact]
    public void GetValueAtPercentile_SmallValues_AreExact()
    {
        // Below 2048 every integer has its own bucket at 3 significant digits.
        var h = Of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Assert.Equal(5, h.GetValueAtPercentile(50));
        Assert.Equal(10, h.GetValueAtPercentile(95));
        Assert.Equal(1, h.Min);
        Assert.Equal(10, h.Max);
        Assert.Equal(5.5, h.Mean, 6);
        Assert.Equal(10, h.TotalCount);
    }

    [Fact]
    public void GetValueAtPercentile_LargeValues_WithinThreeSignificantDigits()
    {
        var h = Of(123_456_789);
        var p = h.GetValueAtPercentile(50);
        Assert.InRange(p, 123_456_789, 123_456_789 * 1.001);
    }

    [Fact]
    public void Add_TwoSnapshots_EqualsRecordingAllValues()
    {
        var a = Of(1, 500, 70_000, 70_001);
        var b = Of(3, 500, 9_000_000);
        var merged = a.Add(b);
        var direct = Of(1, 500, 70_000, 70_001, 3, 500, 9_000_000);
        Assert.Equal(direct.TotalCount, merged.TotalCount);
        Assert.Equal(direct.Buckets.ToList(), merged.Buckets.ToList());
        Assert.Equal(direct.GetValueAtPercentile(50), merged.GetValueAtPercentile(50));
    }

    [Fact]
    public void ToBase64_RoundTrip_KeepsEveryBucket()
    {
        var h = Of(1, 1, 2, 1000, 2047, 2048, 5_000_000, 3_600_000_000);
        var back = HistogramSnapshot.FromBase64(h.ToBase64());
        Assert.Equal(h.Buckets.ToList(), back.Buckets.ToList());
        Assert.Equal(3, back.Layout.SignificantDigits);
        Assert.Equal(h.Layout.HighestTrackableValue, back.Layout.HighestTrackableValue);
    }

    [Fact]
    public void CountAtOrBelow_CountsBucketsUpToTheBound()
    {
        var h = Of(10, 20, 30, 40);
        Assert.Equal(2, h.CountAtOrBelow(20));
        Assert.Equal(4, h.CountAtOrBelow(1_000));
        Assert.Equal(0, h.CountAtOrBelow(5));
    }

    [Fact]
    public void FromBase64_NotAHistogram_ThrowsFormatException()
    {
        var e = Assert.Throws<FormatException>(() => HistogramSnapshot.FromBase64(Convert.ToBase64String(new byte[48])));
        Assert.Contains("HdrHistogram", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_HasNoValues()
    {
        Assert.True(HistogramSnapshot.Empty.IsEmpty);
        Assert.Equal(0, HistogramSnapshot.Empty.GetValueAtPercentile(99));
        Assert.Equal("", HistogramSnapshot.Merge([]).IsEmpty ? "" : "x");
    }
}
