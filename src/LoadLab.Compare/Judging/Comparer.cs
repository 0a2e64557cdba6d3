using System.Globalization;
using LoadLab.Compare.Configuration;
using LoadLab.Compare.Model;
using LoadLab.Compare.Statistics;

namespace LoadLab.Compare.Judging;

/// <summary>
/// Judges a candidate run against one or more baselines, metric by metric, as Kayenta judges a
/// canary: a metric regresses only if the change is significant (p &lt; alpha) and larger than
/// its tolerance; with three or more baselines, a candidate inside the baselines' run-to-run
/// spread is not flagged. Then scores and gives the verdict.
/// </summary>
public sealed class Comparer
{
    private readonly ComparisonOptions _options;

    /// <summary>Initializes a new instance of the <see cref="Comparer"/> class.</summary>
    /// <param name="options">The settings.</param>
    public Comparer(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Compares.</summary>
    /// <param name="baselines">One or more baselines.</param>
    /// <param name="candidate">The candidate.</param>
    /// <param name="source">files or prometheus.</param>
    /// <returns>The report.</returns>
    /// <exception cref="CompareInputException">No baseline, or no scenario in common.</exception>
    public ComparisonReport Compare(IReadOnlyList<RunData> baselines, RunData candidate, string source = "files")
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baselines.Count == 0)
        {
            throw new CompareInputException("A comparison needs at least one baseline.");
        }

        var report = new ComparisonReport
        {
            Source = source,
            Baselines = baselines.Select(b => b.ToReference()).ToList(),
            Candidate = candidate.ToReference(),
            Settings = new JudgementSettings
            {
                Alpha = _options.Alpha,
                EffectConfidence = _options.EffectConfidence,
                PassScore = _options.PassScore,
                MarginalScore = _options.MarginalScore,
                Latency = _options.Latency,
                BootstrapResamples = _options.BootstrapResamples,
                Seed = _options.Seed,
                GateFile = _options.GateFile,
            },
        };

        var common = candidate.Scenarios.Where(s => baselines.All(b => b.Scenarios.Any(x => x.Name == s.Name))).ToList();
        if (common.Count == 0)
        {
            var c = string.Join(", ", candidate.Scenarios.Select(s => s.Name));
            var b = string.Join(", ", baselines.SelectMany(r => r.Scenarios).Select(s => s.Name).Distinct());
            throw new CompareInputException($"The baseline and the candidate have no scenario in common (baseline: {b}; candidate: {c}); they are results of different tests.");
        }

        foreach (var name in baselines.SelectMany(r => r.Scenarios).Select(s => s.Name).Concat(candidate.Scenarios.Select(s => s.Name)).Distinct())
        {
            if (!common.Any(s => s.Name == name))
            {
                report.Notes.Add($"Scenario '{name}' is not in every run and was not compared.");
            }
        }

        foreach (var scenario in common)
        {
            var bases = baselines.Select(b => b.Scenarios.First(s => s.Name == scenario.Name)).ToList();
            report.Scenarios.Add(CompareScenario(bases, scenario, report.Notes));
        }

        Score(report);
        return report;
    }

    private ScenarioComparison CompareScenario(List<ScenarioData> bases, ScenarioData cand, List<string> notes)
    {
        var name = cand.Name;
        var result = new ScenarioComparison { Name = name };
        var metrics = result.Metrics;
        Add(metrics, CompareConstants.Latency, name, null, o => JudgeLatency(o, name, null, bases.Select(b => Measure(b.ResponseTime, b.ServiceTime)).ToList(), Measure(cand.ResponseTime, cand.ServiceTime)));
        Add(metrics, CompareConstants.ErrorRate, name, null, o => JudgeProportion(o, CompareConstants.ErrorRate, null, bases.Select(b => (b.Fail, b.Ok + b.Fail)).ToList(), (cand.Fail, cand.Ok + cand.Fail), higherIsWorse: true));
        Add(metrics, CompareConstants.Throughput, name, null, o => JudgeThroughput(o, bases, cand));
        Add(metrics, CompareConstants.DroppedIterations, name, null, o => bases.Any(b => b.Dropped is null) || cand.Dropped is null
            ? NoData(o, CompareConstants.DroppedIterations, null, "ratio", "dropped iterations are not known for every run")
            : JudgeProportion(o, CompareConstants.DroppedIterations, null, bases.Select(b => (b.Dropped!.Value, b.Ok + b.Fail + b.Dropped!.Value)).ToList(), (cand.Dropped.Value, cand.Ok + cand.Fail + cand.Dropped.Value), higherIsWorse: true));

        foreach (var check in bases.SelectMany(b => b.Checks.Keys).Concat(cand.Checks.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            Add(metrics, CompareConstants.Checks, name, null, o => JudgeProportion(o, CompareConstants.Checks, check, bases.Select(b => Pass(b.Checks, check)).ToList(), Pass(cand.Checks, check), higherIsWorse: false));
        }

        foreach (var evt in bases.SelectMany(b => b.Business.Keys).Concat(cand.Business.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            Add(metrics, CompareConstants.Business, name, null, o => JudgeBusiness(o, evt, bases, cand));
        }

        foreach (var step in cand.Steps)
        {
            var baseSteps = bases.Select(b => b.Steps.FirstOrDefault(s => s.Name == step.Name)).ToList();
            if (baseSteps.Any(s => s is null))
            {
                notes.Add($"Step '{name}/{step.Name}' is not in every baseline and was not compared.");
                continue;
            }

            var found = baseSteps.Select(s => s!).ToList();
            var sc = new StepComparison { Name = step.Name };
            Add(sc.Metrics, CompareConstants.Latency, name, step.Name, o => JudgeLatency(o, name, step.Name, found.Select(b => Measure(b.ResponseTime, b.ServiceTime)).ToList(), Measure(step.ResponseTime, step.ServiceTime)));
            Add(sc.Metrics, CompareConstants.ErrorRate, name, step.Name, o => JudgeProportion(o, CompareConstants.ErrorRate, null, found.Select(b => (b.Fail, b.Ok + b.Fail)).ToList(), (step.Fail, step.Ok + step.Fail), higherIsWorse: true));
            result.Steps.Add(sc);
        }

        foreach (var missing in bases.SelectMany(b => b.Steps).Select(s => s.Name).Distinct().Where(s => cand.Steps.All(c => c.Name != s)))
        {
            notes.Add($"Step '{name}/{missing}' is not in the candidate and was not compared.");
        }

        return result;
    }

    private static (long, long) Pass(Dictionary<string, (long Pass, long Fail)> checks, string name) =>
        checks.TryGetValue(name, out var c) ? (c.Pass, c.Pass + c.Fail) : (0, 0);

    private Distribution Measure(Distribution response, Distribution service) => _options.Latency == CompareConstants.ServiceTime ? service : response;

    private void Add(List<MetricJudgement> list, string metric, string scenario, string? step, Func<MetricOptions, MetricJudgement> judge)
    {
        var o = _options.Resolve(metric, scenario, step);
        if (o.Enabled)
        {
            var j = judge(o);
            j.Critical = o.Critical;
            list.Add(j);
        }
    }

    private MetricJudgement JudgeLatency(MetricOptions o, string scenario, string? step, List<Distribution> bases, Distribution cand)
    {
        var level = 1 - _options.Alpha;
        var j = new MetricJudgement
        {
            Metric = CompareConstants.Latency,
            Statistic = o.Statistic,
            Unit = "us",
            Worse = "higher",
            Tolerance = o.Tolerance,
            ToleranceKind = "relative",
            Test = "mann-whitney",
        };
        if (bases.Any(b => b.IsEmpty) || cand.IsEmpty)
        {
            j.Classification = Classification.NoData;
            j.Reason = "no successful values on one side";
            return j;
        }

        var pooled = bases.Count == 1 ? bases[0] : Distribution.Merge(bases);
        var mw = MannWhitney.Test(pooled, cand);
        var hl = HodgesLehmann.Estimate(pooled, cand, level);
        var bootstrap = new PercentileBootstrap(_options.Seed ^ StableHash($"{scenario}/{step}"));
        var details = new LatencyDetails
        {
            Measure = _options.Latency,
            BaselineCount = pooled.TotalCount,
            CandidateCount = cand.TotalCount,
            U = mw.U,
            ProbabilityCandidateHigher = mw.U / ((double)pooled.TotalCount * cand.TotalCount),
            Z = mw.Z,
            PTwoSided = mw.PTwoSided,
            PHigher = mw.PHigher,
            PLower = mw.PLower,
            HodgesLehmannShift = hl.Shift,
            HodgesLehmannInterval = new Interval(hl.Lower, hl.Upper, level),
            RelativeShift = pooled.Median > 0 ? hl.Shift / pooled.Median : null,
            BaselineDistribution = pooled.Buckets().Select(b => new DistributionBucket(b.Lower, b.Upper, b.Count)).ToList(),
            CandidateDistribution = cand.Buckets().Select(b => new DistributionBucket(b.Lower, b.Upper, b.Count)).ToList(),
        };

        var percentiles = new List<double> { 50, 95, 99 };
        if (CompareConstants.Percentiles.TryGetValue(o.Statistic, out var judged) && !percentiles.Contains(judged))
        {
            percentiles.Add(judged);
            percentiles.Sort();
        }

        var intervals = new Dictionary<double, PercentileInterval>();
        foreach (var p in percentiles)
        {
            var pi = bootstrap.Interval(pooled, cand, p, _options.BootstrapResamples, level, _options.EffectConfidence);
            intervals[p] = pi;
            details.Percentiles.Add(new PercentileDelta
            {
                Percentile = p,
                Baseline = pi.Baseline,
                Candidate = pi.Candidate,
                Delta = pi.Candidate - pi.Baseline,
                RelativeDelta = pi.Baseline > 0 ? (pi.Candidate / pi.Baseline) - 1 : null,
                DeltaInterval = new Interval(pi.DeltaLower, pi.DeltaUpper, level),
                RelativeInterval = new Interval(pi.RelativeLower, pi.RelativeUpper, level),
            });
        }

        j.Latency = details;
        j.PValue = mw.PHigher;
        double lowerEffect, upperEffect;
        if (o.Statistic == CompareConstants.HodgesLehmannStatistic)
        {
            var median = pooled.Median;
            j.Baseline = median;
            j.Candidate = median + hl.Shift;
            j.Delta = hl.Shift;
            j.RelativeDelta = median > 0 ? hl.Shift / median : null;
            j.DeltaInterval = new Interval(hl.Lower, hl.Upper, level);
            j.BaselineRuns = bases.Count > 1 ? bases.Select(b => b.Median).ToList() : null;

            // The interval's half-width over z(1 - alpha/2) is the shift's standard error.
            var se = median > 0 ? (hl.Upper - hl.Lower) / (2 * Normal.Quantile(1 - (_options.Alpha / 2))) / median : 0;
            var rel = j.RelativeDelta ?? 0;
            lowerEffect = rel - (EffectZ * se);
            upperEffect = rel + (EffectZ * se);
        }
        else
        {
            var pd = details.Percentiles.First(x => x.Percentile == judged);
            j.Baseline = pd.Baseline;
            j.Candidate = pd.Candidate;
            j.Delta = pd.Delta;
            j.RelativeDelta = pd.RelativeDelta;
            j.DeltaInterval = pd.DeltaInterval;
            j.BaselineRuns = bases.Count > 1 ? bases.Select(b => b.Percentile(judged)).ToList() : null;
            lowerEffect = intervals[judged].RelativeEffectLower;
            upperEffect = intervals[judged].RelativeEffectUpper;
        }

        Decide(j, mw.PHigher, mw.PLower, j.RelativeDelta ?? 0, lowerEffect, upperEffect, "Mann-Whitney");
        return j;
    }

    private MetricJudgement JudgeProportion(MetricOptions o, string metric, string? subject, List<(long Events, long Total)> bases, (long Events, long Total) cand, bool higherIsWorse)
    {
        var j = new MetricJudgement
        {
            Metric = metric,
            Subject = subject,
            Statistic = "ratio",
            Unit = "ratio",
            Worse = higherIsWorse ? "higher" : "lower",
            Tolerance = o.Tolerance,
            ToleranceKind = "absolute",
            Test = "two-proportion z",
        };
        var events = bases.Sum(b => b.Events);
        var total = bases.Sum(b => b.Total);
        if (total == 0 || cand.Total == 0)
        {
            j.Classification = Classification.NoData;
            j.Reason = "no data on one side";
            return j;
        }

        var t = ProportionTest.TwoProportions(events, total, cand.Events, cand.Total);
        j.Baseline = t.Baseline;
        j.Candidate = t.Candidate;
        j.Delta = t.Candidate - t.Baseline;
        j.RelativeDelta = t.Baseline > 0 ? (t.Candidate / t.Baseline) - 1 : null;
        j.PValue = higherIsWorse ? t.PHigher : t.PLower;
        j.BaselineRuns = bases.Count > 1 ? bases.Select(b => b.Total == 0 ? 0 : (double)b.Events / b.Total).ToList() : null;
        var worseEffect = higherIsWorse ? j.Delta.Value : -j.Delta.Value;
        var p1 = t.Baseline;
        var p2 = t.Candidate;
        var se = Math.Sqrt((p1 * (1 - p1) / total) + (p2 * (1 - p2) / cand.Total));
        Decide(j, j.PValue.Value, higherIsWorse ? t.PLower : t.PHigher, worseEffect, worseEffect - (EffectZ * se), worseEffect + (EffectZ * se), "two-proportion z");
        return j;
    }

    private MetricJudgement JudgeThroughput(MetricOptions o, List<ScenarioData> bases, ScenarioData cand)
    {
        var j = new MetricJudgement
        {
            Metric = CompareConstants.Throughput,
            Statistic = "rate",
            Unit = "per_second",
            Worse = "lower",
            Tolerance = o.Tolerance,
            ToleranceKind = "relative",
            Test = "poisson rate z",
        };
        if (bases.Any(b => b.DurationSeconds is not > 0) || cand.DurationSeconds is not > 0)
        {
            j.Classification = Classification.NoData;
            j.Reason = "the run durations are not known";
            return j;
        }

        var events = bases.Sum(b => b.Ok + b.Fail);
        var seconds = bases.Sum(b => b.DurationSeconds!.Value);
        var t = ProportionTest.TwoRates(events, seconds, cand.Ok + cand.Fail, cand.DurationSeconds!.Value);
        j.Baseline = t.Baseline;
        j.Candidate = t.Candidate;
        j.Delta = t.Candidate - t.Baseline;
        j.RelativeDelta = t.Baseline > 0 ? (t.Candidate / t.Baseline) - 1 : null;
        j.PValue = t.PLower;
        j.BaselineRuns = bases.Count > 1 ? bases.Select(b => (b.Ok + b.Fail) / b.DurationSeconds!.Value).ToList() : null;
        // The relative standard error of a ratio of Poisson counts: sqrt(1/c1 + 1/c2) (delta method).
        var c2 = cand.Ok + cand.Fail;
        var se = events > 0 && c2 > 0 ? Math.Sqrt((1.0 / events) + (1.0 / c2)) : 0;
        var worse = -(j.RelativeDelta ?? 0);
        Decide(j, t.PLower, t.PHigher, worse, worse - (EffectZ * se), worse + (EffectZ * se), "Poisson rate z");
        return j;
    }

    private MetricJudgement JudgeBusiness(MetricOptions o, string evt, List<ScenarioData> bases, ScenarioData cand)
    {
        var good = _options.GoodOutcomes;
        (long Bad, long Total) Count(ScenarioData s)
        {
            if (!s.Business.TryGetValue(evt, out var outcomes))
            {
                return (0, 0);
            }

            var total = outcomes.Values.Sum();
            var goodCount = outcomes.Where(kv => good.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).Sum(kv => kv.Value);
            return (total - goodCount, total);
        }

        var known = bases.Concat([cand]).Any(s => s.Business.TryGetValue(evt, out var outcomes) && outcomes.Keys.Any(k => good.Contains(k, StringComparer.OrdinalIgnoreCase)));
        if (!known)
        {
            return NoData(o, CompareConstants.Business, evt, "ratio", $"no outcome of '{evt}' is a good outcome; list them in metrics.business.good_outcomes");
        }

        var j = JudgeProportion(o, CompareConstants.Business, evt, bases.Select(Count).ToList(), Count(cand), higherIsWorse: true);
        j.Statistic = "bad_ratio";
        return j;
    }

    private static MetricJudgement NoData(MetricOptions o, string metric, string? subject, string unit, string reason) => new()
    {
        Metric = metric,
        Subject = subject,
        Statistic = "ratio",
        Unit = unit,
        Tolerance = o.Tolerance,
        Classification = Classification.NoData,
        Reason = reason,
    };

    /// <summary>Classifies: significant in a direction and beyond the tolerance, unless inside the baselines' spread.</summary>
    private double EffectZ => Normal.Quantile(_options.EffectConfidence);

    private void Decide(MetricJudgement j, double pWorse, double pBetter, double worseEffect, double worseLower, double worseUpper, string test)
    {
        j.EffectBound = worseLower;
        var alpha = _options.Alpha;
        var tol = j.Tolerance;
        var statistic = j.Statistic;
        var change = FormatChange(j);
        var tolText = j.ToleranceKind == "relative" ? Percent(tol) : Points(tol);
        var sign = j.Worse == "higher" ? "+" : "-";
        string P(double p) => p.ToString(p < 0.001 ? "0.0e0" : "0.###", CultureInfo.InvariantCulture);

        if (j.BaselineRuns is { Count: >= 3 } runs && j.Candidate is { } c && c >= runs.Min() && c <= runs.Max())
        {
            j.Classification = Classification.Pass;
            j.Reason = $"{statistic} {change} is inside the {runs.Count} baselines' run-to-run spread";
            return;
        }

        // Beyond the tolerance means: the one-sided lower bound of the change (at the effect
        // confidence) exceeds it, so that estimates that only scrape past it by noise do not count.
        if (pWorse < alpha && worseLower > tol)
        {
            j.Classification = Classification.Regressed;
            var bound = j.ToleranceKind == "relative" ? Percent(worseLower) : Points(worseLower);
            j.Reason = $"{statistic} {change} beyond tolerance {sign}{tolText} (at {Percent(_options.EffectConfidence)} confidence at least {sign}{bound}); {test} p = {P(pWorse)} < {P(alpha)}";
        }
        else if (pBetter < alpha && -worseUpper > tol)
        {
            j.Classification = Classification.Improved;
            j.Reason = $"{statistic} {change} better beyond tolerance; {test} p = {P(pBetter)} < {P(alpha)}";
        }
        else if (pWorse < alpha && worseEffect > 0)
        {
            j.Classification = Classification.Pass;
            j.Reason = $"{statistic} {change} is significant (p = {P(pWorse)}) but not surely beyond tolerance {sign}{tolText}";
        }
        else
        {
            j.Classification = Classification.Pass;
            j.Reason = $"{statistic} {change}; not a significant change for the worse (p = {P(pWorse)})";
        }
    }

    private static string FormatChange(MetricJudgement j) => j.ToleranceKind == "relative"
        ? (j.RelativeDelta is { } r ? (r >= 0 ? "+" : "") + Percent(r) : "n/a")
        : (j.Delta is { } d ? (d >= 0 ? "+" : "-") + Points(Math.Abs(d)) : "n/a");

    internal static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    internal static string Points(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " pt";

    private void Score(ComparisonReport report)
    {
        var all = report.AllJudgements().ToList();
        var judged = all.Where(x => x.Judgement.Classification != Classification.NoData).ToList();
        report.Judged = judged.Count;
        report.Passed = judged.Count(x => x.Judgement.Classification is Classification.Pass or Classification.Improved);
        report.Score = judged.Count == 0 ? 0 : Math.Round(100.0 * report.Passed / judged.Count, 1);
        var critical = judged.Where(x => x.Judgement.Critical && x.Judgement.Classification == Classification.Regressed).ToList();
        foreach (var (scenario, step, j) in critical)
        {
            report.Reasons.Add($"critical metric regressed: {Where(scenario, step)} {Label(j)} ({j.Reason})");
        }

        var score = report.Score.ToString("0.0", CultureInfo.InvariantCulture);
        if (judged.Count == 0)
        {
            report.Verdict = Verdict.Fail;
            report.Reasons.Add("no metric could be judged (no data on one side)");
        }
        else if (critical.Count > 0)
        {
            report.Verdict = Verdict.Fail;
        }
        else if (report.Score >= _options.PassScore)
        {
            report.Verdict = Verdict.Pass;
            report.Reasons.Add(string.Create(CultureInfo.InvariantCulture, $"score {score} >= pass cut-off {_options.PassScore}"));
        }
        else if (report.Score >= _options.MarginalScore)
        {
            report.Verdict = Verdict.Marginal;
            report.Reasons.Add(string.Create(CultureInfo.InvariantCulture, $"score {score} is between the marginal cut-off {_options.MarginalScore} and the pass cut-off {_options.PassScore}"));
        }
        else
        {
            report.Verdict = Verdict.Fail;
            report.Reasons.Add(string.Create(CultureInfo.InvariantCulture, $"score {score} < marginal cut-off {_options.MarginalScore}"));
        }
    }

    /// <summary>"scenario" or "scenario › step" (step names often start with a slash, so no slash separator).</summary>
    public static string Where(string scenario, string? step) => step is null ? scenario : $"{scenario} › {step}";

    /// <summary>"latency p95", "checks status is 200", ...</summary>
    public static string Label(MetricJudgement judgement)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        var statistic = judgement.Metric == CompareConstants.Latency ? $" {judgement.Statistic}" : "";
        var subject = judgement.Subject is null ? "" : $" '{judgement.Subject}'";
        return judgement.Metric + statistic + subject;
    }

    /// <summary>FNV-1a, stable across processes (string.GetHashCode is randomized).</summary>
    internal static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return (int)hash;
    }
}
