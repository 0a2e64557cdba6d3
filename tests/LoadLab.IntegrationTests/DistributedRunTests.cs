using System.Xml.Linq;
using HdrHistogram;
using LoadLab.Cli;
using LoadLab.Results;

namespace LoadLab.IntegrationTests;

/// <summary>
/// Issue 9's "done when": a profile run as three <c>--segment</c> processes on one machine and merged
/// by <c>loadlab merge</c> is one run with the whole run's count, rate and percentiles, and
/// <c>compare</c> and <c>report</c> take it like any other result.
/// </summary>
public class DistributedRunTests(DistributedRunFixture run) : IClassFixture<DistributedRunFixture>
{
    private const int N = DistributedRunFixture.Segments;

    [Fact]
    public async Task Merge_ThreeSegmentProcesses_IsTheWholeRun()
    {
        var parts = run.Parts.Select(ResultFile.Read).ToList();
        var mergedPath = Path.Combine(run.Dir, "merged.json");
        var (exit, output, error) = await Cli.Run(["merge", .. run.Parts, "--output", mergedPath]);
        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {output} {error}");
        Assert.Equal(Path.GetFullPath(mergedPath), Cli.LastLine(output));
        var merged = ResultFile.Read(mergedPath);

        // The parts are the three shares of one run, and the merged result says what it was made of.
        Assert.All(parts, p => Assert.Equal(DistributedRunFixture.RunId, p.RunId));
        Assert.Equal(Enumerable.Range(1, N), parts.Select(p => p.Segment.Index));
        Assert.All(parts, p => Assert.Equal(N, p.Segment.Count));
        Assert.Equal(DistributedRunFixture.RunId, merged.RunId);
        Assert.Equal([1, 2, 3], merged.Segment.Merged);

        // Counts: the merged total is the sum of the parts, and that is the profile's arrivals. Each
        // segment launches its share of the arrivals due by the closing tick: at most one each is short.
        var s = Assert.Single(merged.Scenarios);
        var ps = parts.Select(p => Assert.Single(p.Scenarios)).ToList();
        var total = s.Iterations.Ok + s.Iterations.Fail;
        Assert.Equal(ps.Sum(p => p.Iterations.Ok), s.Iterations.Ok);
        Assert.Equal(ps.Sum(p => p.Iterations.Fail), s.Iterations.Fail);
        const int expected = DistributedRunFixture.Rate * DistributedRunFixture.Seconds;
        Assert.InRange(total, expected - N, expected);
        Assert.All(ps, p => Assert.InRange(p.Iterations.Ok + p.Iterations.Fail, (expected / N) - 1, expected / N));
        foreach (var step in s.Steps)
        {
            Assert.Equal(ps.Sum(p => p.Steps.Single(x => x.Name == step.Name).Requests.Ok), step.Requests.Ok);
        }

        // Rate: the shares' targets add up to the profile's rate, and so does what they achieved together.
        Assert.Equal(DistributedRunFixture.Rate, s.Rate.Target, 3);
        Assert.All(ps, p => Assert.Equal(DistributedRunFixture.Rate / (double)N, p.Rate.Target, 3));
        Assert.InRange(s.Rate.Achieved, DistributedRunFixture.Rate * 0.97, DistributedRunFixture.Rate * 1.03);

        // Percentiles: those of the parts' HdrHistograms added up, here by the HdrHistogram library
        // itself rather than LoadLab's merge.
        AssertPercentilesOfSum(s.ResponseTime, ps.Select(p => p.ResponseTime), "browse_catalog response_time");
        AssertPercentilesOfSum(s.ServiceTime, ps.Select(p => p.ServiceTime), "browse_catalog service_time");
        Assert.NotEmpty(s.Steps);
        foreach (var step in s.Steps)
        {
            AssertPercentilesOfSum(step.ResponseTime, ps.Select(p => p.Steps.Single(x => x.Name == step.Name).ResponseTime), $"{step.Name} response_time");
        }

        // Thresholds are judged again on the whole: a third of the rate fails "rps > 45" alone.
        Assert.All(run.PartExitCodes, code => Assert.Equal(ExitCodes.Failed, code));
        Assert.All(parts, p => Assert.False(p.Thresholds.Single(t => t.Expr == "rps > 45").Passed));
        var rps = merged.Thresholds.Single(t => t.Expr == "rps > 45");
        Assert.True(rps.Passed, $"rps {rps.Value} on the whole");
        Assert.Equal(total / s.DurationSeconds, rps.Value!.Value, 3);
        var p95 = merged.Thresholds.Single(t => t.Expr == "p95(response_time) < 10s");
        Assert.True(p95.Passed);
        Assert.Equal(s.ResponseTime.P95, p95.Value!.Value, 6);
        Assert.Equal(RunStatus.Passed, merged.Status);
    }

    [Fact]
    public async Task CompareAndReport_MergedResult_TakeItLikeASingleRun()
    {
        var merged = Path.Combine(run.Dir, "merged-for-reports.json");
        var (mergeExit, _, mergeError) = await Cli.Run(["merge", .. run.Parts, "--output", merged]);
        Assert.True(mergeExit == ExitCodes.Success, mergeError);

        // A run compared with itself: nothing regressed, exit 0.
        var json = Path.Combine(run.Dir, "compare.json");
        var (compare, compareOut, compareError) = await Cli.Run("compare", "--baseline", merged, "--candidate", merged, "--format", "json", "--output", json);
        Assert.True(compare == ExitCodes.Success, $"exit {compare}: {compareOut} {compareError}");
        Assert.Contains("browse_catalog", File.ReadAllText(json), StringComparison.Ordinal);

        var html = Path.Combine(run.Dir, "merged.html");
        var (report, _, reportError) = await Cli.Run("report", merged, "--format", "html", "--output", html);
        Assert.True(report == ExitCodes.Success, reportError);
        Assert.Contains("merged from segments 1, 2, 3 of 3", File.ReadAllText(html), StringComparison.Ordinal);

        // JUnit: the merged run passes the thresholds a single share fails.
        var junit = Path.Combine(run.Dir, "merged.xml");
        var (junitExit, _, junitError) = await Cli.Run("report", merged, "--format", "junit", "--output", junit);
        Assert.True(junitExit == ExitCodes.Success, junitError);
        Assert.Equal("0", XDocument.Load(junit).Root!.Attribute("failures")!.Value);
        var partJunit = Path.Combine(run.Dir, "part1.xml");
        Assert.Equal(ExitCodes.Success, (await Cli.Run("report", run.Parts[0], "--format", "junit", "--output", partJunit)).Exit);
        Assert.NotEqual("0", XDocument.Load(partJunit).Root!.Attribute("failures")!.Value);
    }

    [Fact]
    public async Task Merge_SegmentMissing_ExitsTwoNamingIt()
    {
        var output = Path.Combine(run.Dir, "incomplete.json");
        var (exit, _, error) = await Cli.Run("merge", run.Parts[0], run.Parts[2], "--output", output);
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"segment(s) 2/3 missing; expected all 3 segments of run '{DistributedRunFixture.RunId}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    /// <summary>
    /// Adds the parts' encoded histograms with the HdrHistogram library and checks the merged summary's
    /// count and p50/p95/p99 against the sum, within HdrHistogram's precision (3 significant digits).
    /// </summary>
    private static void AssertPercentilesOfSum(LatencySummary merged, IEnumerable<LatencySummary> parts, string what)
    {
        var sum = new LongHistogram(1, 3_600_000_000L, 3);
        foreach (var part in parts.Where(p => p.Histogram.Length > 0))
        {
            var bytes = Convert.FromBase64String(part.Histogram);
            sum.Add(HistogramEncoding.DecodeFromCompressedByteBuffer(HdrHistogram.Utilities.ByteBuffer.Allocate(bytes), 0));
        }

        Assert.True(sum.TotalCount > 0, $"{what}: the parts recorded nothing");
        Assert.Equal(sum.TotalCount, merged.Count);
        foreach (var (percentile, value) in new[] { (50.0, merged.P50), (95.0, merged.P95), (99.0, merged.P99) })
        {
            var expected = sum.GetValueAtPercentile(percentile) / 1e6;
            Assert.True(Math.Abs(value - expected) <= (expected * 1e-3) + 1e-6, $"{what} p{percentile}: merged {value}s, sum of the parts {expected}s");
        }
    }
}
