using LoadLab.Chaos.GameDays;
using LoadLab.Engine.Running;

namespace LoadLab.Chaos.Tests.GameDays;

public class LiveStatisticsTests
{
    [Fact]
    public void Get_NoSnapshot_ReturnsNoData()
    {
        var live = new LiveStatistics();

        Assert.Null(live.Get("error_rate", null, TimeSpan.FromSeconds(5)));
        Assert.Null(live.Elapsed);
    }

    [Fact]
    public void Get_ErrorRateAndP95_CountOnlyTheWindow()
    {
        var forwarded = new List<RunProgress>();
        var live = new LiveStatistics(new Recorder(forwarded));
        // Cumulative counters: 100 ok in the first 5 s, then 40 ok and 10 failed in the next 2 s.
        live.OnProgress(Point(5, ok: 100, fail: 0, p95: 0.100));
        live.OnProgress(Point(6, ok: 120, fail: 5, p95: 0.300));
        live.OnProgress(Point(7, ok: 140, fail: 10, p95: 0.200));

        Assert.Equal(10.0 / 50, live.Get("error_rate", "pay", TimeSpan.FromSeconds(2)));
        Assert.Equal(0.300, live.Get("p95", "pay", TimeSpan.FromSeconds(2)));
        Assert.Equal(0.200, live.Get("p95", "pay", TimeSpan.FromSeconds(1)));
        Assert.Equal(50 / 2.0, live.Get("rps", null, TimeSpan.FromSeconds(2)));
        Assert.Null(live.Get("error_rate", "other", TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(7), live.Elapsed);
        Assert.Equal(3, forwarded.Count);
    }

    private static RunProgress Point(double seconds, long ok, long fail, double p95) =>
        new(TimeSpan.FromSeconds(seconds), null, [new ScenarioProgress("pay", false, 0, 10, p95, ok, fail, 1, 0, false)]);

    private sealed class Recorder(List<RunProgress> into) : IRunObserver
    {
        public void OnProgress(RunProgress progress) => into.Add(progress);
    }
}
