using System.Text.Json.Serialization;

namespace LoadLab.Compare.Model;

/// <summary>
/// The outcome of comparing a candidate run with one or more baseline runs: a plain,
/// serializable model that the console, Markdown, JSON, JUnit and HTML renderers read.
/// Latencies are in microseconds, rates per second, ratios between 0 and 1.
/// </summary>
public sealed class ComparisonReport
{
    /// <summary>The version of this model's JSON shape.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Gets or sets the version of this model's JSON shape.</summary>
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Gets or sets where the data came from: <c>files</c> or <c>prometheus</c>.</summary>
    public string Source { get; set; } = "files";

    /// <summary>Gets or sets the baseline runs (one or more).</summary>
    public List<RunReference> Baselines { get; set; } = [];

    /// <summary>Gets or sets the candidate run.</summary>
    public RunReference Candidate { get; set; } = new();

    /// <summary>Gets or sets the settings the judgement used.</summary>
    public JudgementSettings Settings { get; set; } = new();

    /// <summary>Gets or sets the score: 100 x passed / judged metrics (NoData is not judged).</summary>
    public double Score { get; set; }

    /// <summary>Gets or sets the number of judged metrics (all but NoData).</summary>
    public int Judged { get; set; }

    /// <summary>Gets or sets the number of judged metrics that passed (Pass or Improved).</summary>
    public int Passed { get; set; }

    /// <summary>Gets or sets the overall verdict.</summary>
    public Verdict Verdict { get; set; }

    /// <summary>Gets or sets why the verdict is what it is (score, critical regressions).</summary>
    public List<string> Reasons { get; set; } = [];

    /// <summary>Gets or sets notes about the inputs (scenarios or steps present on one side only).</summary>
    public List<string> Notes { get; set; } = [];

    /// <summary>Gets or sets the per-scenario comparisons.</summary>
    public List<ScenarioComparison> Scenarios { get; set; } = [];

    /// <summary>Enumerates every judgement, scenario-level first, then the steps', in report order.</summary>
    /// <returns>Pairs of (scenario, step or null, judgement).</returns>
    public IEnumerable<(string Scenario, string? Step, MetricJudgement Judgement)> AllJudgements()
    {
        foreach (var scenario in Scenarios)
        {
            foreach (var metric in scenario.Metrics)
            {
                yield return (scenario.Name, null, metric);
            }

            foreach (var step in scenario.Steps)
            {
                foreach (var metric in step.Metrics)
                {
                    yield return (scenario.Name, step.Name, metric);
                }
            }
        }
    }
}

/// <summary>One run that took part in a comparison.</summary>
public sealed class RunReference
{
    /// <summary>Gets or sets the run id, or the Prometheus selector.</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the release label, when known.</summary>
    public string? Release { get; set; }

    /// <summary>Gets or sets the file or selector it was read from.</summary>
    public string Location { get; set; } = "";

    /// <summary>Gets or sets when the measured run started, when known.</summary>
    public DateTimeOffset? StartedAt { get; set; }
}

/// <summary>The settings a comparison used (a copy of the gate file's effective values).</summary>
public sealed class JudgementSettings
{
    /// <summary>Gets or sets the significance level.</summary>
    public double Alpha { get; set; }

    /// <summary>Gets or sets the confidence of the effect-beyond-tolerance check.</summary>
    public double EffectConfidence { get; set; }

    /// <summary>Gets or sets the score at or above which the verdict is Pass.</summary>
    public double PassScore { get; set; }

    /// <summary>Gets or sets the score at or above which the verdict is Marginal.</summary>
    public double MarginalScore { get; set; }

    /// <summary>Gets or sets the latency measure: response_time or service_time.</summary>
    public string Latency { get; set; } = "response_time";

    /// <summary>Gets or sets the number of bootstrap resamples.</summary>
    public int BootstrapResamples { get; set; }

    /// <summary>Gets or sets the bootstrap seed.</summary>
    public int Seed { get; set; }

    /// <summary>Gets or sets the gate file, when one was given.</summary>
    public string? GateFile { get; set; }
}

/// <summary>The comparison of one scenario.</summary>
public sealed class ScenarioComparison
{
    /// <summary>Gets or sets the scenario name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the scenario-level judgements (iterations).</summary>
    public List<MetricJudgement> Metrics { get; set; } = [];

    /// <summary>Gets or sets the per-step comparisons.</summary>
    public List<StepComparison> Steps { get; set; } = [];
}

/// <summary>The comparison of one step.</summary>
public sealed class StepComparison
{
    /// <summary>Gets or sets the step name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the step's judgements.</summary>
    public List<MetricJudgement> Metrics { get; set; } = [];
}

/// <summary>The judgement of one metric of a scenario or step.</summary>
public sealed class MetricJudgement
{
    /// <summary>Gets or sets the metric: latency, error_rate, throughput, dropped_iterations, checks, business.</summary>
    public string Metric { get; set; } = "";

    /// <summary>Gets or sets what the metric is about within its scope (a check name, a business event), or null.</summary>
    public string? Subject { get; set; }

    /// <summary>Gets or sets the statistic that was judged: p50, p95, p99, hl_shift, ratio, rate.</summary>
    public string Statistic { get; set; } = "";

    /// <summary>Gets or sets the unit of <see cref="Baseline"/> and <see cref="Candidate"/>: us, ratio, per_second.</summary>
    public string Unit { get; set; } = "";

    /// <summary>Gets or sets which direction is worse: higher or lower.</summary>
    public string Worse { get; set; } = "higher";

    /// <summary>Gets or sets the baseline value (pooled over the baselines), or null without data.</summary>
    public double? Baseline { get; set; }

    /// <summary>Gets or sets the candidate value, or null without data.</summary>
    public double? Candidate { get; set; }

    /// <summary>Gets or sets candidate minus baseline.</summary>
    public double? Delta { get; set; }

    /// <summary>Gets or sets the relative change (candidate / baseline - 1), when the baseline is not zero.</summary>
    public double? RelativeDelta { get; set; }

    /// <summary>
    /// Gets or sets the one-sided lower confidence bound (at the effect confidence) of the change in
    /// the worse direction, in the tolerance's terms (relative or absolute): it must exceed the
    /// tolerance for a regression.
    /// </summary>
    public double? EffectBound { get; set; }

    /// <summary>Gets or sets the confidence interval of <see cref="Delta"/> (same unit), when computed.</summary>
    public Interval? DeltaInterval { get; set; }

    /// <summary>Gets or sets the one-sided p-value of the change in the worse direction.</summary>
    public double? PValue { get; set; }

    /// <summary>Gets or sets the name of the test behind <see cref="PValue"/>.</summary>
    public string? Test { get; set; }

    /// <summary>Gets or sets the tolerance: the change in the worse direction that is allowed.</summary>
    public double Tolerance { get; set; }

    /// <summary>Gets or sets whether the tolerance is relative (a fraction of the baseline) or absolute (in the unit).</summary>
    public string ToleranceKind { get; set; } = "relative";

    /// <summary>Gets or sets a value indicating whether a regression of this metric fails the comparison alone.</summary>
    public bool Critical { get; set; }

    /// <summary>Gets or sets the classification.</summary>
    public Classification Classification { get; set; }

    /// <summary>Gets or sets a one-line explanation of the classification.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Gets or sets the per-baseline values of the statistic (one per baseline run).</summary>
    public List<double>? BaselineRuns { get; set; }

    /// <summary>Gets or sets the latency details (latency metrics only).</summary>
    public LatencyDetails? Latency { get; set; }
}

/// <summary>A confidence interval.</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="Level">The confidence level, e.g. 0.99.</param>
public sealed record Interval(double Lower, double Upper, double Level);

/// <summary>The statistics of a latency comparison (microseconds).</summary>
public sealed class LatencyDetails
{
    /// <summary>Gets or sets the latency measure: response_time or service_time.</summary>
    public string Measure { get; set; } = "response_time";

    /// <summary>Gets or sets the number of baseline values (pooled).</summary>
    public long BaselineCount { get; set; }

    /// <summary>Gets or sets the number of candidate values.</summary>
    public long CandidateCount { get; set; }

    /// <summary>Gets or sets the Mann-Whitney U of the candidate (pairs where the candidate is larger, ties half).</summary>
    public double U { get; set; }

    /// <summary>Gets or sets U divided by the number of pairs: the probability that a candidate value exceeds a baseline value.</summary>
    public double ProbabilityCandidateHigher { get; set; }

    /// <summary>Gets or sets the z statistic (tie-corrected, with continuity correction).</summary>
    public double Z { get; set; }

    /// <summary>Gets or sets the two-sided p-value.</summary>
    public double PTwoSided { get; set; }

    /// <summary>Gets or sets the one-sided p-value that the candidate is slower.</summary>
    public double PHigher { get; set; }

    /// <summary>Gets or sets the one-sided p-value that the candidate is faster.</summary>
    public double PLower { get; set; }

    /// <summary>Gets or sets the Hodges-Lehmann shift (candidate minus baseline, microseconds).</summary>
    public double HodgesLehmannShift { get; set; }

    /// <summary>Gets or sets the confidence interval of the shift.</summary>
    public Interval? HodgesLehmannInterval { get; set; }

    /// <summary>Gets or sets the shift relative to the baseline median.</summary>
    public double? RelativeShift { get; set; }

    /// <summary>Gets or sets the percentile deltas (p50, p95, p99) with bootstrap intervals.</summary>
    public List<PercentileDelta> Percentiles { get; set; } = [];

    /// <summary>Gets or sets the pooled baseline distribution, for plots.</summary>
    public List<DistributionBucket> BaselineDistribution { get; set; } = [];

    /// <summary>Gets or sets the candidate distribution, for plots.</summary>
    public List<DistributionBucket> CandidateDistribution { get; set; } = [];
}

/// <summary>The change of one percentile, with bootstrap intervals.</summary>
public sealed class PercentileDelta
{
    /// <summary>Gets or sets the percentile, e.g. 95.</summary>
    public double Percentile { get; set; }

    /// <summary>Gets or sets the baseline value (microseconds).</summary>
    public double Baseline { get; set; }

    /// <summary>Gets or sets the candidate value (microseconds).</summary>
    public double Candidate { get; set; }

    /// <summary>Gets or sets candidate minus baseline (microseconds).</summary>
    public double Delta { get; set; }

    /// <summary>Gets or sets candidate / baseline - 1, when the baseline is not zero.</summary>
    public double? RelativeDelta { get; set; }

    /// <summary>Gets or sets the bootstrap interval of <see cref="Delta"/>.</summary>
    public Interval? DeltaInterval { get; set; }

    /// <summary>Gets or sets the bootstrap interval of <see cref="RelativeDelta"/>.</summary>
    public Interval? RelativeInterval { get; set; }
}

/// <summary>One non-empty bucket of a latency distribution (microseconds).</summary>
/// <param name="Lower">The lowest value of the bucket.</param>
/// <param name="Upper">The highest value of the bucket.</param>
/// <param name="Count">How many values fell in it.</param>
public sealed record DistributionBucket(double Lower, double Upper, long Count);

/// <summary>The classification of one metric (Kayenta's Pass / High / Low / NoData).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Classification>))]
public enum Classification
{
    /// <summary>No significant change beyond the tolerance.</summary>
    Pass,

    /// <summary>Significantly worse, beyond the tolerance (Kayenta's High).</summary>
    Regressed,

    /// <summary>Significantly better, beyond the tolerance (Kayenta's Low); counts as passed.</summary>
    Improved,

    /// <summary>Not enough data on one side; not judged.</summary>
    NoData,
}

/// <summary>The overall verdict of a comparison.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>The score reached the pass cut-off and no critical metric regressed (exit 0).</summary>
    Pass,

    /// <summary>The score is between the marginal and the pass cut-off (exit 5).</summary>
    Marginal,

    /// <summary>The score is below the marginal cut-off, or a critical metric regressed (exit 4).</summary>
    Fail,
}
