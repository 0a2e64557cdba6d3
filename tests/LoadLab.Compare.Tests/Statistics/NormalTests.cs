using LoadLab.Compare.Statistics;

namespace LoadLab.Compare.Tests.Statistics;

public class NormalTests
{
    // Reference values: Python 3 math.erfc and statistics.NormalDist (independent implementations).
    [Theory]
    [InlineData(0.3, 0.6713732405408726)]
    [InlineData(2.5, 0.0004069520174449589)]
    [InlineData(-1, 1.842700792949715)]
    [InlineData(6, 2.1519736712498916e-17)]
    public void Erfc_KnownValues_MatchReference(double x, double expected)
    {
        Assert.Equal(expected, Normal.Erfc(x), expected * 1e-12);
    }

    [Fact]
    public void Cdf_And_Quantile_KnownValues_MatchReference()
    {
        Assert.Equal(0.975, Normal.Cdf(1.959963984540054), 1e-12);
        Assert.Equal(2.866515718791946e-07, Normal.UpperTail(5), 1e-18);
        Assert.Equal(1.9599639845400536, Normal.Quantile(0.975), 1e-9);
        Assert.Equal(-2.3263478740408408, Normal.Quantile(0.01), 1e-9);
    }
}
