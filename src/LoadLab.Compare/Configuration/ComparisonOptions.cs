namespace LoadLab.Compare.Configuration;

/// <summary>
/// How a comparison judges (the gate file's model). Defaults are documented in docs/comparison.md
/// and held by <see cref="CompareConstants"/>.
/// </summary>
public sealed class ComparisonOptions
{
    /// <summary>Gets or sets the significance level of every test.</summary>
    /// <value>Defaults to 0.01. Must be between 0 and 0.5 (exclusive).</value>
    public double Alpha { get; set; } = CompareConstants.DefaultAlpha;

    /// <summary>
    /// Gets or sets how sure the effect must be to count as beyond the tolerance: the one-sided
    /// lower confidence bound of the change (bootstrap or normal) at this level must exceed the
    /// tolerance. 0.5 judges the point estimate alone.
    /// </summary>
    /// <value>Defaults to 0.7. Must be between 0.5 and 0.99.</value>
    public double EffectConfidence { get; set; } = CompareConstants.DefaultEffectConfidence;

    /// <summary>Gets or sets the score at or above which the verdict is Pass.</summary>
    /// <value>Defaults to 95. Must be between 0 and 100.</value>
    public double PassScore { get; set; } = CompareConstants.DefaultPassScore;

    /// <summary>Gets or sets the score at or above which the verdict is Marginal.</summary>
    /// <value>Defaults to 75. Must be between 0 and <see cref="PassScore"/>.</value>
    public double MarginalScore { get; set; } = CompareConstants.DefaultMarginalScore;

    /// <summary>Gets or sets the latency measure: response_time (from the intended start) or service_time.</summary>
    /// <value>Defaults to response_time.</value>
    public string Latency { get; set; } = CompareConstants.ResponseTime;

    /// <summary>Gets or sets the number of bootstrap resamples for percentile intervals.</summary>
    /// <value>Defaults to 1,000. Must be between 100 and 100,000.</value>
    public int BootstrapResamples { get; set; } = CompareConstants.DefaultResamples;

    /// <summary>Gets or sets the bootstrap seed.</summary>
    /// <value>Defaults to 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the business outcomes that count as good (the rest count as bad).</summary>
    /// <value>Defaults to ok, success, succeeded, approved, completed, accepted, pass, passed.</value>
    public List<string> GoodOutcomes { get; set; } = [.. CompareConstants.DefaultGoodOutcomes];

    /// <summary>Gets or sets the per-metric settings, by metric name (see <see cref="CompareConstants.MetricNames"/>).</summary>
    public Dictionary<string, MetricOptions> Metrics { get; set; } = CompareConstants.DefaultMetrics();

    /// <summary>Gets or sets settings for one scenario, step or metric, applied over <see cref="Metrics"/> (last match wins).</summary>
    public List<MetricOverride> Overrides { get; set; } = [];

    /// <summary>Gets or sets the gate file the options came from, if any.</summary>
    public string? GateFile { get; set; }

    /// <summary>Resolves the effective settings of a metric of a scenario (and step).</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="step">The step, or null at scenario level.</param>
    /// <returns>A copy with the overrides applied.</returns>
    public MetricOptions Resolve(string metric, string scenario, string? step)
    {
        var baseOptions = Metrics.TryGetValue(metric, out var m) ? m : CompareConstants.DefaultMetrics()[metric];
        var result = baseOptions.Clone();
        foreach (var o in Overrides)
        {
            if ((o.Metric is null || o.Metric == metric)
                && (o.Scenario is null || o.Scenario == scenario)
                && (o.Step is null || o.Step == step))
            {
                result.Enabled = o.Enabled ?? result.Enabled;
                result.Tolerance = o.Tolerance ?? result.Tolerance;
                result.Critical = o.Critical ?? result.Critical;
                result.Statistic = o.Statistic ?? result.Statistic;
            }
        }

        return result;
    }
}

/// <summary>The settings of one metric.</summary>
public sealed class MetricOptions
{
    /// <summary>Gets or sets a value indicating whether the metric is judged.</summary>
    /// <value>Defaults to true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the statistic judged (latency: p50, p75, p90, p95, p99, p999 or hl_shift).</summary>
    /// <value>Defaults to p95 for latency; the other metrics have one statistic each.</value>
    public string Statistic { get; set; } = "";

    /// <summary>Gets or sets the tolerance: the allowed change in the worse direction, relative (latency, throughput) or absolute (ratios).</summary>
    public double Tolerance { get; set; }

    /// <summary>Gets or sets a value indicating whether a regression of this metric fails the comparison alone.</summary>
    public bool Critical { get; set; }

    /// <summary>Creates a copy.</summary>
    /// <returns>The copy.</returns>
    public MetricOptions Clone() => new() { Enabled = Enabled, Statistic = Statistic, Tolerance = Tolerance, Critical = Critical };
}

/// <summary>Settings for some scenarios, steps or metrics; unset properties keep the metric's settings.</summary>
public sealed class MetricOverride
{
    /// <summary>Gets or sets the scenario it applies to, or null for all.</summary>
    public string? Scenario { get; set; }

    /// <summary>Gets or sets the step it applies to, or null for all (and the scenario level).</summary>
    public string? Step { get; set; }

    /// <summary>Gets or sets the metric it applies to, or null for all.</summary>
    public string? Metric { get; set; }

    /// <summary>Gets or sets whether the metric is judged.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Gets or sets the tolerance.</summary>
    public double? Tolerance { get; set; }

    /// <summary>Gets or sets whether the metric is critical.</summary>
    public bool? Critical { get; set; }

    /// <summary>Gets or sets the statistic.</summary>
    public string? Statistic { get; set; }
}

/// <summary>Names and defaults of the comparison.</summary>
public static class CompareConstants
{
    /// <summary>The default significance level.</summary>
    public const double DefaultAlpha = 0.01;

    /// <summary>The default confidence of the effect-beyond-tolerance check.</summary>
    public const double DefaultEffectConfidence = 0.7;

    /// <summary>The default pass cut-off of the score.</summary>
    public const double DefaultPassScore = 95;

    /// <summary>The default marginal cut-off of the score.</summary>
    public const double DefaultMarginalScore = 75;

    /// <summary>The default number of bootstrap resamples.</summary>
    public const int DefaultResamples = 1000;

    /// <summary>The response-time measure.</summary>
    public const string ResponseTime = "response_time";

    /// <summary>The service-time measure.</summary>
    public const string ServiceTime = "service_time";

    /// <summary>Latency of successful iterations or requests.</summary>
    public const string Latency = "latency";

    /// <summary>Failed / (ok + failed).</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>Completed iterations per second.</summary>
    public const string Throughput = "throughput";

    /// <summary>Dropped / (ok + failed + dropped).</summary>
    public const string DroppedIterations = "dropped_iterations";

    /// <summary>Pass rate of each check.</summary>
    public const string Checks = "checks";

    /// <summary>Share of bad outcomes of each business event.</summary>
    public const string Business = "business";

    /// <summary>The Hodges-Lehmann shift relative to the baseline median.</summary>
    public const string HodgesLehmannStatistic = "hl_shift";

    /// <summary>Gets every metric name, in report order.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [Latency, ErrorRate, Throughput, DroppedIterations, Checks, Business];

    /// <summary>Gets the latency statistics a gate file may name.</summary>
    public static IReadOnlyDictionary<string, double> Percentiles { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["p50"] = 50, ["p75"] = 75, ["p90"] = 90, ["p95"] = 95, ["p99"] = 99, ["p999"] = 99.9,
    };

    /// <summary>Gets the default good business outcomes.</summary>
    public static IReadOnlyList<string> DefaultGoodOutcomes { get; } = ["ok", "success", "succeeded", "approved", "completed", "accepted", "pass", "passed"];

    /// <summary>Creates the default per-metric settings.</summary>
    /// <returns>A new dictionary.</returns>
    public static Dictionary<string, MetricOptions> DefaultMetrics() => new(StringComparer.Ordinal)
    {
        // Latency and errors are what users feel: a regression beyond tolerance fails the gate alone.
        [Latency] = new() { Statistic = "p95", Tolerance = 0.05, Critical = true },
        [ErrorRate] = new() { Statistic = "ratio", Tolerance = 0.01, Critical = true },
        [Throughput] = new() { Statistic = "rate", Tolerance = 0.05 },
        [DroppedIterations] = new() { Statistic = "ratio", Tolerance = 0.01 },
        [Checks] = new() { Statistic = "ratio", Tolerance = 0.01 },
        [Business] = new() { Statistic = "ratio", Tolerance = 0.01 },
    };
}
