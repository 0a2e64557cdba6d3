using LoadLab.Compare.Statistics;

namespace LoadLab.Compare.Tests.Statistics;

public class HodgesLehmannTests
{
    /*
     * x = {1, 2, 3}, y = {2, 4, 6}: the 9 differences y - x are
     * 1 0 -1 | 3 2 1 | 5 4 3 -> sorted -1 0 1 1 2 3 3 4 5; the median (5th) is 2.
     */
    [Fact]
    public void Estimate_OddNumberOfPairs_IsMedianDifference()
    {
        var r = HodgesLehmann.Estimate(Distribution.FromValues([1, 2, 3]), Distribution.FromValues([2, 4, 6]), 0.95);

        Assert.Equal(2, r.Shift, 9);
    }

    /* x = {1, 2}, y = {3, 5}: differences 2 1 4 3 -> sorted 1 2 3 4; median (2 + 3)/2 = 2.5. */
    [Fact]
    public void Estimate_EvenNumberOfPairs_AveragesMiddleDifferences()
    {
        var r = HodgesLehmann.Estimate(Distribution.FromValues([1, 2]), Distribution.FromValues([3, 5]), 0.95);

        Assert.Equal(2.5, r.Shift, 9);
    }

    /*
     * x = 1..10, y = 6..15: differences 5 + k for k = a - b in -9..9, with 10 - |k| pairs each.
     * Shift: 5. 95% interval: sd(U) = sqrt(10*10*21/12) = 13.2288; C = round(50 - 1.959964*13.2288)
     * = round(24.07) = 24. Cumulative counts from the bottom: k=-9:1, -8:3, -7:6, -6:10, -5:15, -4:21,
     * -3:28 -> D(24) = 5 - 3 = 2; by symmetry D(100 + 1 - 24) = D(77) = 8. Interval [2, 8].
     */
    [Fact]
    public void Estimate_ShiftedSequences_GivesLehmannInterval()
    {
        var x = Distribution.FromValues(Enumerable.Range(1, 10).Select(v => (double)v));
        var y = Distribution.FromValues(Enumerable.Range(6, 10).Select(v => (double)v));

        var r = HodgesLehmann.Estimate(x, y, 0.95);

        Assert.Equal(5, r.Shift, 9);
        Assert.Equal(2, r.Lower, 9);
        Assert.Equal(8, r.Upper, 9);
    }

    [Fact]
    public void KthDifference_RandomWeightedBuckets_MatchesBruteForce()
    {
        var random = new Random(7);
        var xs = Enumerable.Range(0, 40).Select(_ => (double)random.Next(0, 30)).ToList();
        var ys = Enumerable.Range(0, 35).Select(_ => (double)random.Next(5, 40)).ToList();
        var all = xs.SelectMany(x => ys.Select(y => y - x)).Order().ToList();
        var dx = Distribution.FromValues(xs);
        var dy = Distribution.FromValues(ys);

        foreach (var k in new[] { 1, 2, 100, 700, 701, 1399, 1400 })
        {
            Assert.Equal(all[k - 1], HodgesLehmann.KthDifference(dx, dy, k), 9);
        }
    }
}
