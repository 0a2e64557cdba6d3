using LoadLab.Compare.Statistics;
using LoadLab.Histograms;

namespace LoadLab.Compare.Tests.Statistics;

public class MannWhitneyTests
{
    /*
     * Baseline x = {1, 2, 2, 3}, candidate y = {2, 3, 4, 4, 5}; n1 = 4, n2 = 5, N = 9.
     * Pooled and sorted: 1(x) | 2(x x y) | 3(x y) | 4(y y) | 5(y)
     * Mid-ranks: 1 -> 1; 2 -> (2+3+4)/3 = 3; 3 -> (5+6)/2 = 5.5; 4 -> (7+8)/2 = 7.5; 5 -> 9.
     * R_y = 3 + 5.5 + 7.5 + 7.5 + 9 = 32.5; U_y = 32.5 - 5*6/2 = 17.5
     * (by pairs: y=2 beats 1 and ties two -> 2; y=3 -> 3.5; y=4 -> 4 each; y=5 -> 4; total 17.5).
     * Mean 4*5/2 = 10. Ties: sizes 3, 2, 2 -> sum(t^3 - t) = 24 + 6 + 6 = 36.
     * Var = 4*5/12 * (10 - 36/(9*8)) = 1.6667 * 9.5 = 15.8333; sd = 3.979112.
     * p(higher) = 1 - Phi((17.5 - 10 - 0.5)/3.979112) = 1 - Phi(1.759186) = 0.0392729 (Python NormalDist).
     * p(lower) = Phi((7.5 + 0.5)/sd) = 0.9778108; two-sided 2 (1 - Phi(1.759186)) = 0.0785459.
     */
    [Fact]
    public void Test_SmallExampleWithTies_MatchesHandComputation()
    {
        var x = Distribution.FromValues([1, 2, 2, 3]);
        var y = Distribution.FromValues([2, 3, 4, 4, 5]);

        var r = MannWhitney.Test(x, y);

        Assert.Equal(17.5, r.U, 10);
        Assert.Equal(10, r.Mean, 10);
        Assert.Equal(3.9791121287711073, r.StandardDeviation, 10);
        Assert.Equal(0.039272925475595355, r.PHigher, 9);
        Assert.Equal(0.9778107863272565, r.PLower, 9);
        Assert.Equal(0.07854585095119071, r.PTwoSided, 9);
    }

    [Fact]
    public void Test_FromHistogramBuckets_EqualsTestFromValues()
    {
        // Values below 2048 are exact in a 3-digit HdrHistogram: bucket counting must give the same U as values.
        var builderX = new HistogramSnapshotBuilder();
        var builderY = new HistogramSnapshotBuilder();
        foreach (var v in new long[] { 1, 2, 2, 3 })
        {
            builderX.Record(v);
        }

        foreach (var v in new long[] { 2, 3, 4, 4, 5 })
        {
            builderY.Record(v);
        }

        var r = MannWhitney.Test(Distribution.FromHistogram(builderX.Build()), Distribution.FromHistogram(builderY.Build()));

        Assert.Equal(17.5, r.U, 10);
        Assert.Equal(0.039272925475595355, r.PHigher, 9);
    }

    [Fact]
    public void Test_AllValuesTied_ReturnsPOfOne()
    {
        var r = MannWhitney.Test(Distribution.FromValues([5, 5]), Distribution.FromValues([5, 5, 5]));

        Assert.Equal(1, r.PTwoSided);
        Assert.Equal(1, r.PHigher);
    }

    [Fact]
    public void Test_EmptySample_Throws()
    {
        Assert.Throws<ArgumentException>(() => MannWhitney.Test(Distribution.Empty, Distribution.FromValues([1])));
    }
}
