using LoadLab.Histograms;
using LoadLab.Sinks.Prometheus.Exposition;

namespace LoadLab.Sinks.Prometheus.Tests.Exposition;

public class HistogramBucketsTests
{
    [Fact]
    public void UpperBounds_CoverOneMillisecondToSixtySeconds_WithRatioBelowFivePercent()
    {
        var bounds = HistogramBuckets.UpperBoundsMicros;

        Assert.Equal(1_000, bounds[0]);
        Assert.True(bounds[^1] >= 60_000_000);
        Assert.True(bounds[^2] < 60_000_000);
        for (var i = 1; i < bounds.Length; i++)
        {
            // 2^(1/16) = 1.0443; rounding to whole microseconds adds at most 0.01% at the 1 ms end.
            Assert.InRange(bounds[i] / (double)bounds[i - 1], 1.0435, 1.0451);
        }
    }

    [Fact]
    public void UpperBoundLabels_AreExactDecimalSeconds()
    {
        Assert.Equal("0.001", HistogramBuckets.UpperBoundLabels[0]);
        Assert.Equal("0.002", HistogramBuckets.UpperBoundLabels[16]);
        Assert.All(HistogramBuckets.UpperBoundLabels, l => Assert.True(l.Length <= 9, l));
    }

    [Fact]
    public void Cumulative_AnyHistogram_EqualsCountAtOrBelowOfEachBound()
    {
        var builder = new HistogramSnapshotBuilder();
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            builder.Record((long)(random.NextDouble() * random.NextDouble() * 90_000_000));
        }

        builder.Record(1_000, 3);
        builder.Record(999);
        var snapshot = builder.Build();
        var cumulative = new long[HistogramBuckets.Count];

        HistogramBuckets.Cumulative(snapshot, cumulative);

        for (var i = 0; i < HistogramBuckets.Count; i++)
        {
            Assert.Equal(snapshot.CountAtOrBelow(HistogramBuckets.UpperBoundsMicros[i]), cumulative[i]);
        }
    }

    [Theory]
    [InlineData(0.0005, 0)]
    [InlineData(0.001, 0)]
    [InlineData(0.0010001, 1)]
    [InlineData(120.0, -1)]
    public void IndexOf_Value_IsFirstBoundAtOrAbove(double seconds, int expected)
    {
        var index = HistogramBuckets.IndexOf(seconds);

        Assert.Equal(expected < 0 ? HistogramBuckets.Count : expected, index);
    }
}
