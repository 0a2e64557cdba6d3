using LoadLab.Bench.Infrastructure;
using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Bench.Engine;

/// <summary>
/// The engine's figures (issue 2): overhead, open-model rate accuracy, coordinated omission and
/// constant memory. Every run is a real <c>loadlab run</c> process on a generated profile.
/// </summary>
internal static class EngineBenchmarks
{
    /// <summary>The engine suite's benchmarks by name, in the order the suite runs them.</summary>
    private static readonly (string Name, Action<BenchTable, bool> Run)[] s_benchmarks =
    [
        ("overhead", Overhead),
        ("rate", RateAccuracy),
        ("rate-split", SplitRateAccuracyBench.Run),
        ("co", CoordinatedOmission),
        ("memory", Memory),
    ];

    /// <summary>The rates of the open-model accuracy benchmark, alone and split over processes.</summary>
    internal static IReadOnlyList<int> AccuracyRates { get; } = [1_000, 10_000, 50_000];

    public static IEnumerable<string> Names => s_benchmarks.Select(b => b.Name);

    /// <summary>Runs the suite, or only the benchmark named <paramref name="only"/>.</summary>
    public static void Run(BenchTable table, bool quick, string? only = null)
    {
        foreach (var (name, run) in s_benchmarks.Where(b => only is null || b.Name == only))
        {
            run(table, quick);
        }
    }

    /// <summary>The open-model accuracy profile: the no-op scenario at <paramref name="rate"/>/s.</summary>
    internal static string AccuracyProfile(int rate, int seconds) => Noop($"inject: {{ rate: {rate}, interval: 1s, during: {seconds}s }}");

    /// <summary>How long the accuracy benchmarks hold each rate.</summary>
    internal static int AccuracySeconds(bool quick) => quick ? 5 : 20;

    private static string Noop(string load) => $"name: bench\nscenarios:\n  - name: noop\n    load:\n      - {load}\n";

    private static void Overhead(BenchTable table, bool quick)
    {
        var seconds = quick ? 5 : 10;
        foreach (var copies in new[] { 2, 8 })
        {
            var r = LoadLabProcess.Run(Noop($"keep_constant: {{ copies: {copies}, during: {seconds}s }}"), $"closed-{copies}");
            var s = r.Scenarios[0];
            table.Add($"noop closed model, {copies} VUs, {seconds}s", "iterations/s", s.Rate.Achieved, "1/s", "report", null,
                $"cpu {r.Generator.CpuRatio:P0}");
        }

        var open = LoadLabProcess.Run(Noop($"inject: {{ rate: 200000, interval: 1s, during: {seconds}s }}"), "open-200k");
        var o = open.Scenarios[0];
        table.Add($"noop open model, 200,000/s offered, {seconds}s", "iterations/s", o.Rate.Achieved, "1/s", "report", null,
            $"dropped {o.Iterations.Dropped:N0}, launch p99 {open.Generator.LaunchLateness.P99 * 1000:0.##}ms, cpu {open.Generator.CpuRatio:P0}");
    }

    private static void RateAccuracy(BenchTable table, bool quick)
    {
        var seconds = AccuracySeconds(quick);
        foreach (var rate in AccuracyRates)
        {
            var r = LoadLabProcess.Run(AccuracyProfile(rate, seconds), $"rate-{rate}");
            var s = r.Scenarios[0];
            var error = Math.Abs(s.Rate.Achieved - rate) / rate;
            table.Add($"open model {rate:N0}/s for {seconds}s", "achieved rate error", error * 100, "%", "< 0.5%", error < 0.005,
                $"achieved {s.Rate.Achieved:N1}/s, completed {s.Iterations.Ok:N0}, dropped {s.Iterations.Dropped}");
            var lateness = r.Generator.LaunchLateness.P99 * 1000;
            table.Add($"open model {rate:N0}/s for {seconds}s", "launch lateness p99", lateness, "ms", "< 2 ms", lateness < 2);
        }
    }

    /// <summary>
    /// 1,000/s against a service that freezes for 1 s every 5 s, with max_concurrency 50 and 1 ms of work.
    /// Arrivals during a stall (20% of all) wait until it ends: an arrival x seconds into the stall waits
    /// 1 - x, plus its share of the drain (50 slots at ~1 ms clear 1,000 queued calls in ~20 ms).
    /// So P(response &gt; r) = (1 - r) / 5 for r in (0, 1): p90 = 0.5 s, p99 = 0.95 s (docs/performance.md).
    /// Service time only sees the 50 calls per stall that held a slot: 1% of calls, so its p90 stays at the 1 ms work.
    /// </summary>
    private static void CoordinatedOmission(BenchTable table, bool quick)
    {
        var seconds = quick ? 20 : 60;
        var yaml = $$"""
            name: co
            scenarios:
              - name: delay
                settings: { latency: 1ms, stall: { every: 5s, for: 1s } }
                max_concurrency: 50
                load:
                  - inject: { rate: 1000, interval: 1s, during: {{seconds}}s }
            """;
        var r = LoadLabProcess.Run(yaml, "co");
        var s = r.Scenarios[0];
        // Work is 1 ms plus timer granularity; the drain after each stall adds up to ~2% more.
        const double expectedP90 = 0.5, expectedP99 = 0.95;
        var p90Err = Math.Abs(s.ResponseTime.P90 - expectedP90) / expectedP90;
        var p99Err = Math.Abs(s.ResponseTime.P99 - expectedP99) / expectedP99;
        table.Add("coordinated omission, stall 1s/5s", "response_time p90", s.ResponseTime.P90 * 1000, "ms", "500 ms ± 10%", p90Err < 0.10);
        table.Add("coordinated omission, stall 1s/5s", "response_time p99", s.ResponseTime.P99 * 1000, "ms", "950 ms ± 10%", p99Err < 0.10);
        table.Add("coordinated omission, stall 1s/5s", "service_time p90 (CO-blind)", s.ServiceTime.P90 * 1000, "ms", "report", null,
            "what a tool that ignores coordinated omission reports");
        table.Add("coordinated omission, stall 1s/5s", "service_time p99 (CO-blind)", s.ServiceTime.P99 * 1000, "ms", "report", null);
        table.Add("coordinated omission, stall 1s/5s", "service_time p99.9 (CO-blind)", s.ServiceTime.P999 * 1000, "ms", "report", null);
    }

    private static void Memory(BenchTable table, bool quick)
    {
        var (shortRun, longRun) = quick ? (5, 30) : (10, 60);
        var a = LoadLabProcess.Run(Noop($"inject: {{ rate: 20000, interval: 1s, during: {shortRun}s }}"), "mem-short");
        var b = LoadLabProcess.Run(Noop($"inject: {{ rate: 20000, interval: 1s, during: {longRun}s }}"), "mem-long");
        var ma = a.Generator.PeakWorkingSetBytes / 1048576.0;
        var mb = b.Generator.PeakWorkingSetBytes / 1048576.0;
        var diff = Math.Abs(mb - ma) / ma;
        table.Add($"noop 20,000/s, {shortRun}s", "peak RSS", ma, "MiB", "report", null);
        table.Add($"noop 20,000/s, {longRun}s", "peak RSS", mb, "MiB", "report", null);
        table.Add($"peak RSS {longRun}s vs {shortRun}s", "difference", diff * 100, "%", "< 10%", diff < 0.10);
    }
}
