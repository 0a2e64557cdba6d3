using LoadLab.Bench.Infrastructure;

namespace LoadLab.Bench.Engine;

/// <summary>
/// Open-model accuracy split over 2 processes (issue 9): the accuracy benchmark's profile run as
/// <c>loadlab run --segment 1/2</c> and <c>--segment 2/2</c> side by side with one run id, merged by
/// <c>loadlab merge</c>. The merged achieved rate (all iterations over the longest part's measured
/// duration) must be within 0.5% of the profile's rate, as a single process must.
/// </summary>
internal static class SplitRateAccuracyBench
{
    private const int Processes = 2;

    public static void Run(BenchTable table, bool quick)
    {
        var seconds = EngineBenchmarks.AccuracySeconds(quick);
        foreach (var rate in EngineBenchmarks.AccuracyRates)
        {
            var (parts, merged) = LoadLabProcess.RunSegments(EngineBenchmarks.AccuracyProfile(rate, seconds), $"split-{rate}", Processes);
            var s = merged.Scenarios[0];
            var error = Math.Abs(s.Rate.Achieved - rate) / rate;
            var shares = string.Join(" + ", parts.Select(p => p.Scenarios[0].Rate.Achieved.ToString("N1", System.Globalization.CultureInfo.InvariantCulture)));
            table.Add($"open model {rate:N0}/s for {seconds}s, {Processes} processes", "merged achieved rate error", error * 100, "%", "< 0.5%", error < 0.005,
                $"achieved {s.Rate.Achieved:N1}/s ({shares}), target {s.Rate.Target:N0}/s, completed {s.Iterations.Ok:N0}, dropped {s.Iterations.Dropped}, launch p99 {merged.Generator.LaunchLateness.P99 * 1000:0.##}ms");
        }
    }
}
