using LoadLab.Chaos.Faults;

namespace LoadLab.Chaos.Tests.Faults;

public class LatencyDistributionTests
{
    [Theory]
    [InlineData("300ms", 300.0)]
    [InlineData("1.5s", 1500.0)]
    [InlineData("2m", 120000.0)]
    [InlineData("1h", 3600000.0)]
    public void TryParse_Fixed_ReadsMilliseconds(string text, double ms)
    {
        Assert.True(LatencyDistribution.TryParse(text, out var latency));
        Assert.Equal(ms, latency.Median.TotalMilliseconds);
        Assert.Null(latency.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(ms), latency.Sample(() => 0.5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("300")]
    [InlineData("fast")]
    [InlineData("lognormal(200ms)")]
    [InlineData("normal(200ms, 800ms)")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(LatencyDistribution.TryParse(text, out _));
    }

    [Fact]
    public void Sample_LogNormal_HasTheGivenMedianAndP99()
    {
        Assert.True(LatencyDistribution.TryParse("lognormal(200ms, 800ms)", out var latency));
        var random = new Random(7);

        var samples = Enumerable.Range(0, 20_000).Select(_ => latency.Sample(random.NextDouble).TotalMilliseconds).Order().ToArray();

        Assert.InRange(samples[10_000], 190, 210);
        Assert.InRange(samples[19_800], 720, 880);
    }
}
