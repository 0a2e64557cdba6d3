using LoadLab.Compare.Statistics;

namespace LoadLab.Compare.Tests.Statistics;

public class ProportionTestTests
{
    /*
     * 10/100 vs 20/100: pooled p = 30/200 = 0.15; se = sqrt(0.15*0.85*(1/100 + 1/100)) = 0.0504975;
     * z = 0.10 / 0.0504975 = 1.980295; p(higher) = 1 - Phi(1.980295) = 0.0238352 (Python NormalDist).
     */
    [Fact]
    public void TwoProportions_TextbookExample_MatchesHandComputation()
    {
        var r = ProportionTest.TwoProportions(10, 100, 20, 100);

        Assert.Equal(1.9802950859533488, r.Z, 9);
        Assert.Equal(0.02383519032808068, r.PHigher, 9);
    }

    /*
     * 1000 events in 100 s vs 900 in 100 s: rates 10 and 9; se = sqrt(1000/100^2 + 900/100^2) = sqrt(0.19);
     * z = -1 / 0.435890 = -2.294157; p(lower) = Phi(-2.294157) = 0.0108907.
     */
    [Fact]
    public void TwoRates_PoissonExample_MatchesHandComputation()
    {
        var r = ProportionTest.TwoRates(1000, 100, 900, 100);

        Assert.Equal(-2.294157338705618, r.Z, 9);
        Assert.Equal(0.010890731395559738, r.PLower, 9);
    }

    [Fact]
    public void TwoProportions_NoEventsAnywhere_ReturnsPOfOne()
    {
        var r = ProportionTest.TwoProportions(0, 100, 0, 100);

        Assert.Equal(1, r.PHigher);
        Assert.Equal(0, r.Z);
    }
}
