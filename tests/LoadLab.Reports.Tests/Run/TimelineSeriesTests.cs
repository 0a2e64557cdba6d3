using LoadLab.Reports.Run;
using LoadLab.Results;

namespace LoadLab.Reports.Tests.Run;

public class TimelineSeriesTests
{
    [Fact]
    public void Downsample_ShortRun_KeepsEverySecond()
    {
        var points = Enumerable.Range(1, 600).Select(t => new TimelinePoint { T = t, Ok = 10 }).ToList();

        var buckets = TimelineSeries.Downsample(points, 600);

        Assert.Equal(600, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(10, b.AchievedRate));
    }

    [Fact]
    public void Downsample_LongRun_AddsCountsAndKeepsTheWorstSecond()
    {
        var points = Enumerable.Range(1, 1200).Select(t => new TimelinePoint
        {
            T = t,
            Ok = 10,
            Fail = t == 7 ? 4 : 0,
            P99 = t == 8 ? 2.0 : 0.1,
            Concurrency = t == 5 ? 50 : 3,
            Errors = t == 7 ? new Dictionary<string, long>(StringComparer.Ordinal) { ["timeout"] = 4 } : null,
        }).ToList();

        var buckets = TimelineSeries.Downsample(points, 600);

        Assert.Equal(600, buckets.Count);
        var b = buckets[3];
        Assert.Equal(8, b.T);
        Assert.Equal(2, b.Seconds);
        Assert.Equal(24, b.Ok + b.Fail);
        Assert.Equal(12, b.AchievedRate);
        Assert.Equal(4, b.Errors["timeout"]);
        Assert.Equal(2.0, b.P99);
        Assert.Equal(50, buckets[2].Concurrency);
    }

    [Fact]
    public void ByScenario_MixedTimeline_GroupsAndOrdersByTime()
    {
        var result = new RunResult
        {
            Timeline = [new TimelinePoint { T = 2, Scenario = "a" }, new TimelinePoint { T = 1, Scenario = "b" }, new TimelinePoint { T = 1, Scenario = "a" }],
        };

        var map = TimelineSeries.ByScenario(result);

        Assert.Equal([1.0, 2.0], map["a"].Select(p => p.T));
        Assert.Single(map["b"]);
    }
}
