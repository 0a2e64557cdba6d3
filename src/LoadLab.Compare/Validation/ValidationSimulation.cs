using System.Globalization;
using LoadLab.Compare.Configuration;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;
using LoadLab.Compare.Statistics;
using LoadLab.Histograms;

namespace LoadLab.Compare.Validation;

/// <summary>One simulated experiment: pairs of runs from known distributions, judged with the defaults.</summary>
/// <param name="Name">The experiment, e.g. "A/A".</param>
/// <param name="Pairs">The number of (baseline, candidate) pairs.</param>
/// <param name="Flagged">Pairs whose latency was judged Regressed.</param>
/// <param name="AnyRegressed">Pairs with any metric Regressed (latency or error rate).</param>
/// <param name="Rate">Flagged / Pairs.</param>
/// <param name="Requirement">The requirement, e.g. "&lt;= 1%".</param>
/// <param name="Holds">Whether the requirement holds.</param>
public sealed record ValidationRow(string Name, int Pairs, int Flagged, int AnyRegressed, double Rate, string Requirement, bool Holds);

/// <summary>
/// The statistical validation of the comparison (issue 5): simulated result pairs with lognormal
/// latencies, a heavy tail, 1% errors and run-to-run noise, judged with the default settings.
/// </summary>
internal static class ValidationSimulation
{
    /// <summary>Median latency in microseconds.</summary>
    public const double MedianMicros = 50_000;

    /// <summary>Log-space spread of the body (p95/p50 = e^(1.645 x 0.4) = 1.93, p99/p50 = 2.54).</summary>
    public const double Sigma = 0.4;

    /// <summary>Share of slow outliers (GC pauses, retries: the body's distribution 5x slower), beyond p99.</summary>
    public const double TailShare = 0.005;

    /// <summary>How much slower the outliers are.</summary>
    public const double TailFactor = 5;

    /// <summary>Run-to-run noise: the run's scale varies by e^N(0, RunNoise).</summary>
    public const double RunNoise = 0.005;

    /// <summary>The base error rate.</summary>
    public const double ErrorRate = 0.01;

    /// <summary>Runs the three experiments of the issue.</summary>
    /// <param name="pairs">Pairs per experiment (1,000 in the bench, fewer in the unit test).</param>
    /// <param name="samples">Successful iterations per run (5,000 in the issue).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="options">The settings; the defaults when null.</param>
    /// <returns>One row per experiment.</returns>
    public static IReadOnlyList<ValidationRow> Run(int pairs, int samples, int seed, ComparisonOptions? options = null)
    {
        options ??= new ComparisonOptions();
        return
        [
            Experiment("A/A (same distribution)", pairs, samples, 1.00, seed, options, rate => rate <= 0.01, "flagged <= 1%"),
            Experiment("A/B, p95 10% worse", pairs, samples, 1.10, seed + 1, options, rate => rate >= 0.95, "flagged >= 95%"),
            Experiment("A/B, 2% shift (tolerance 5%)", pairs, samples, 1.02, seed + 2, options, rate => rate <= 0.05, "flagged <= 5%"),
        ];
    }

    private static ValidationRow Experiment(string name, int pairs, int samples, double factor, int seed, ComparisonOptions options, Func<double, bool> holds, string requirement)
    {
#pragma warning disable CA5394 // Simulation, not security.
        var random = new Random(seed);
        var comparer = new Comparer(options);
        int flagged = 0, any = 0;
        for (var i = 0; i < pairs; i++)
        {
            var baseline = SimulateRun(random, samples, 1.0, $"b{i}");
            var candidate = SimulateRun(random, samples, factor, $"c{i}");
            var report = comparer.Compare([baseline], candidate);
            var latency = report.Scenarios[0].Metrics.First(m => m.Metric == CompareConstants.Latency);
            if (latency.Classification == Classification.Regressed)
            {
                flagged++;
            }

            if (report.AllJudgements().Any(j => j.Judgement.Classification == Classification.Regressed))
            {
                any++;
            }
        }

        var rate = (double)flagged / pairs;
        return new ValidationRow(name, pairs, flagged, any, rate, requirement, holds(rate));
    }

    /// <summary>Simulates one run: a scale with run-to-run noise, lognormal body, slow tail, binomial errors.</summary>
    internal static RunData SimulateRun(Random random, int samples, double factor, string id)
    {
        var scale = MedianMicros * factor * Math.Exp(RunNoise * Gaussian(random));
        var builder = new HistogramSnapshotBuilder();
        for (var i = 0; i < samples; i++)
        {
            var tail = random.NextDouble() < TailShare;
            var value = scale * (tail ? TailFactor : 1) * Math.Exp(Sigma * Gaussian(random));
            builder.Record(Math.Clamp((long)value, 1, HistogramLayout.Default.HighestTrackableValue));
        }

        long errors = 0;
        for (var i = 0; i < samples; i++)
        {
            if (random.NextDouble() < ErrorRate)
            {
                errors++;
            }
        }

        return new RunData
        {
            Id = id,
            Location = "simulated",
            Scenarios =
            [
                new ScenarioData
                {
                    Name = "simulated",
                    ResponseTime = Distribution.FromHistogram(builder.Build()),
                    Ok = samples,
                    Fail = errors,
                    Dropped = 0,
                },
            ],
        };
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
#pragma warning restore CA5394

    /// <summary>Formats the rows as a Markdown table.</summary>
    public static string ToMarkdown(IEnumerable<ValidationRow> rows) =>
        "| experiment | pairs | latency flagged | rate | requirement | any metric flagged | holds |\n| --- | ---: | ---: | ---: | --- | ---: | --- |\n"
        + string.Concat(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Pairs} | {r.Flagged} | {r.Rate:P1} | {r.Requirement} | {r.AnyRegressed} | {(r.Holds ? "yes" : "NO")} |\n")));
}
