using System.Diagnostics;
using LoadLab.Engine.BuiltIns;

namespace LoadLab.Engine.Tests.BuiltIns;

public class SimulatedServiceTests
{
    private static readonly long s_f = Stopwatch.Frequency;

    private static SimulatedService Stalling() =>
        new(new LatencyDistribution(TimeSpan.FromMilliseconds(10), null), 0, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

    [Fact]
    public void CompletionTimestamp_ArrivalDuringStall_WaitsForItsEnd()
    {
        var s = Stalling();
        s.Start(0);
        // Arrives 0.2 s into the stall at t=0: starts at 1 s, done at 1.01 s.
        Assert.Equal(1.01, s.CompletionTimestamp((long)(0.2 * s_f), TimeSpan.FromMilliseconds(10)) / (double)s_f, 5);
    }

    [Fact]
    public void CompletionTimestamp_WorkSpanningAStall_IsFrozenDuringIt()
    {
        var s = Stalling();
        s.Start(0);
        // Starts at 4.995 s with 10 ms of work: 5 ms before the stall, 5 ms after it ends at 6 s.
        Assert.Equal(6.005, s.CompletionTimestamp((long)(4.995 * s_f), TimeSpan.FromMilliseconds(10)) / (double)s_f, 5);
    }

    [Fact]
    public void CompletionTimestamp_OutsideStalls_IsStartPlusWork()
    {
        var s = Stalling();
        s.Start(0);
        Assert.Equal(2.01, s.CompletionTimestamp(2 * s_f, TimeSpan.FromMilliseconds(10)) / (double)s_f, 5);
    }

    [Theory]
    [InlineData("25ms", 0.025, null)]
    [InlineData("lognormal(20ms, 200ms)", 0.02, 0.2)]
    public void LatencyDistribution_Parse_ReadsMedianAndP99(string text, double median, double? p99)
    {
        Assert.True(LatencyDistribution.TryParse(text, out var d));
        Assert.Equal(median, d.Median.TotalSeconds, 9);
        Assert.Equal(p99, d.P99?.TotalSeconds);
    }

    [Fact]
    public void LatencyDistribution_Sample_HasTheRequestedMedianAndP99()
    {
        Assert.True(LatencyDistribution.TryParse("lognormal(20ms, 200ms)", out var d));
        var r = new Random(3);
        var samples = Enumerable.Range(0, 20_000).Select(_ => d.Sample(r.NextDouble).TotalSeconds).Order().ToArray();
        Assert.InRange(samples[10_000], 0.019, 0.021);
        Assert.InRange(samples[19_800], 0.18, 0.22);
    }

    [Theory]
    [InlineData("lognormal(200ms, 20ms)")]
    [InlineData("fast")]
    public void LatencyDistribution_Parse_RejectsNonsense(string text) => Assert.False(LatencyDistribution.TryParse(text, out _));
}
