using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Segments;
using LoadLab.Engine.Simulations;
using LoadLab.Engine.Thresholds;
using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Engine.Tests.Segments;

public class ResultMergerTests
{
    private static async Task<RunResult> RunSegment(int index, int count, string runId = "dist")
    {
        var scenario = Scenario.Create("s", async ctx =>
            {
                await Step.Run("work", ctx, async () =>
                {
                    await Task.Delay(1 + (int)(ctx.IterationNumber % 3));
                    return Response.Ok();
                });
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.Inject(300, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
            .WithThresholds(ThresholdSpec.Parse("rps > 250"), ThresholdSpec.Parse("p99(response_time) < 5s"));
        return await LoadEngine.RunAsync(new RunOptions { RunId = runId, Profile = "p", Scenarios = [scenario], Segment = new Segment(index, count) }, CancellationToken.None);
    }

    [Fact]
    public async Task Merge_ThreeSegments_AddsCountsAndHistogramsExactly()
    {
        var parts = new List<(string, RunResult)>();
        for (var i = 1; i <= 3; i++)
        {
            parts.Add(($"r{i}.json", await RunSegment(i, 3)));
        }

        // Each share alone runs 100/s and fails "rps > 250"; the whole run must pass it.
        Assert.All(parts, p => Assert.False(p.Item2.Thresholds[0].Passed));
        var merged = ResultMerger.Merge(parts);
        var s = Assert.Single(merged.Scenarios);
        Assert.Equal(300, s.Iterations.Ok);
        Assert.Equal(300, s.Rate.Target, 3);
        Assert.Equal(300, s.Steps.Single().Requests.Ok);
        var expected = HistogramSnapshot.Merge(parts.Select(p => p.Item2.Scenarios[0].ResponseTime.GetHistogram()));
        Assert.Equal(expected.GetValueAtPercentile(99) / 1e6, s.ResponseTime.P99, 9);
        Assert.Equal(300, s.ResponseTime.Count);
        Assert.Equal([1, 2, 3], merged.Segment.Merged);
        Assert.True(merged.Thresholds[0].Passed, $"rps of the whole: {merged.Thresholds[0].Value}");
        Assert.Equal(RunStatus.Passed, merged.Status);
        Assert.Equal(300, merged.Timeline.Sum(p => p.Ok));
    }

    [Fact]
    public async Task Merge_BadParts_ListsEveryProblem()
    {
        var a = await RunSegment(1, 3);
        var b = await RunSegment(1, 3);
        var other = await RunSegment(2, 3, runId: "other");
        var e = Assert.Throws<ConfigurationException>(() => ResultMerger.Merge([("a.json", a), ("b.json", b), ("c.json", other)]));
        Assert.Contains("c.json: runId: is 'other' but a.json has 'dist'", e.Message, StringComparison.Ordinal);
        Assert.Contains("a.json, b.json: segment: segment 1/3 is given 2 times", e.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<ConfigurationException>(() => ResultMerger.Merge([("a.json", a)]));
        Assert.Contains("segment(s) 2/3, 3/3 missing", missing.Message, StringComparison.Ordinal);
    }
}
