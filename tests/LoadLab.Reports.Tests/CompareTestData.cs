using LoadLab.Compare.Configuration;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;

namespace LoadLab.Reports.Tests;

/// <summary>Comparison reports: one from the real comparer on two generated runs, one written by hand with known values.</summary>
internal static class CompareTestData
{
    /// <summary>Compares a baseline run with a candidate whose payment_flow is 1.5 times slower, with the real <see cref="Comparer"/>.</summary>
    public static ComparisonReport Judged()
    {
        var baseline = TestData.Run(seconds: 60, seed: 1);
        baseline.Labels["release"] = "1.4.1";
        var candidate = TestData.Run(seconds: 60, seed: 2, slowdown: 1.5);
        candidate.RunId = "20261124-020000-d4e5f6";
        var options = new ComparisonOptions { BootstrapResamples = 200 };
        return new Comparer(options).Compare([RunDataReader.FromResult(baseline, "results/a/result.json")], RunDataReader.FromResult(candidate, "results/b/result.json"));
    }

    /// <summary>A hand-made report: one regressed critical latency, one passed error rate, one no-data metric.</summary>
    public static ComparisonReport Manual()
    {
        var random = new Random(3);
        var baseHist = TestData.Histogram(random, 40, 5, 5_000);
        var candHist = TestData.Histogram(random, 60, 5, 5_000);
        return new ComparisonReport
        {
            Baselines = [new RunReference { Id = "base-1", Release = "1.4.1", Location = "results/base-1/result.json", StartedAt = TestData.Start }],
            Candidate = new RunReference { Id = "cand-1", Release = "1.4.2", Location = "results/cand-1/result.json", StartedAt = TestData.Start.AddHours(1) },
            Settings = new JudgementSettings { Alpha = 0.01, PassScore = 90, MarginalScore = 70, BootstrapResamples = 1000, Seed = 1 },
            Score = 50,
            Judged = 2,
            Passed = 1,
            Verdict = Verdict.Fail,
            Reasons = ["critical metric regressed: payment_flow/authorize latency p95"],
            Notes = ["scenario 'legacy' is only in the baseline"],
            Scenarios =
            [
                new ScenarioComparison
                {
                    Name = "payment_flow",
                    Metrics =
                    [
                        new MetricJudgement
                        {
                            Metric = "error_rate", Statistic = "ratio", Unit = "ratio", Baseline = 0.01, Candidate = 0.011, Delta = 0.001, RelativeDelta = 0.1,
                            PValue = 0.31, Test = "two-proportion z", Tolerance = 0.005, ToleranceKind = "absolute", Classification = Classification.Pass, Reason = "within tolerance",
                        },
                        new MetricJudgement
                        {
                            Metric = "business", Subject = "payment|approved", Statistic = "rate", Unit = "ratio", Classification = Classification.NoData, Reason = "no business counters in the baseline",
                        },
                    ],
                    Steps =
                    [
                        new StepComparison
                        {
                            Name = "authorize",
                            Metrics =
                            [
                                new MetricJudgement
                                {
                                    Metric = "latency", Statistic = "p95", Unit = "us", Baseline = 120_000, Candidate = 180_000, Delta = 60_000, RelativeDelta = 0.5,
                                    DeltaInterval = new Interval(45_000, 75_000, 0.99), PValue = 0.00001, Test = "Mann-Whitney U", Tolerance = 0.1, Critical = true,
                                    Classification = Classification.Regressed, Reason = "p95 +50% (tolerance 10%), p < 0.0001",
                                    Latency = new LatencyDetails
                                    {
                                        BaselineCount = baseHist.TotalCount, CandidateCount = candHist.TotalCount, ProbabilityCandidateHigher = 0.71, HodgesLehmannShift = 19_500,
                                        Percentiles = [new PercentileDelta { Percentile = 95, Baseline = 120_000, Candidate = 180_000, Delta = 60_000, RelativeDelta = 0.5, DeltaInterval = new Interval(45_000, 75_000, 0.99) }],
                                        BaselineDistribution = baseHist.Buckets.Select(b => new DistributionBucket(b.LowestValue, b.HighestValue, b.Count)).ToList(),
                                        CandidateDistribution = candHist.Buckets.Select(b => new DistributionBucket(b.LowestValue, b.HighestValue, b.Count)).ToList(),
                                    },
                                },
                            ],
                        },
                    ],
                },
            ],
        };
    }
}
