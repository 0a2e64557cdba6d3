using System.Globalization;
using LoadLab.Compare.Model;
using LoadLab.Reports.Formatting;

namespace LoadLab.Reports.Compare;

/// <summary>Formats the values of a comparison (latencies in microseconds, ratios, rates) for people.</summary>
internal static class CompareFormat
{
    public static string Value(MetricJudgement m, double? value) => value is { } v ? Value(m.Unit, v) : "no data";

    public static string Value(string unit, double value) => unit switch
    {
        "us" => ReportFormat.Latency(value / 1e6),
        "ratio" => ReportFormat.Percent(value),
        "per_second" => ReportFormat.Rate(value),
        _ => ReportFormat.Significant(value),
    };

    /// <summary>Formats a signed change in the metric's unit, with the relative change when known.</summary>
    public static string Delta(MetricJudgement m)
    {
        if (m.Delta is not { } d)
        {
            return "–";
        }

        var text = Signed(m.Unit, d);
        return m.RelativeDelta is { } r ? $"{text} ({SignedPercent(r)})" : text;
    }

    /// <summary>Formats a signed change; a change of a ratio is in percentage points, not percent.</summary>
    public static string Signed(string unit, double value) => (value > 0 ? "+" : value < 0 ? "−" : "±") + (unit == "ratio"
        ? ReportFormat.Significant(Math.Abs(value) * 100) + " pt"
        : Value(unit, Math.Abs(value)));

    public static string SignedPercent(double ratio) => (ratio > 0 ? "+" : ratio < 0 ? "−" : "±") + ReportFormat.Percent(Math.Abs(ratio));

    public static string Interval(string unit, Interval? interval) => interval is null
        ? "–"
        : $"[{Signed(unit, interval.Lower)}, {Signed(unit, interval.Upper)}] at {ReportFormat.Percent(interval.Level)}";

    public static string PValue(double? p) => p switch
    {
        null => "–",
        < 0.0001 => "< 0.0001",
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    public static string Tolerance(MetricJudgement m) => m.ToleranceKind == "relative"
        ? ReportFormat.Percent(m.Tolerance)
        : m.Unit == "ratio" ? ReportFormat.Significant(m.Tolerance * 100) + " pt" : Value(m.Unit, m.Tolerance);

    /// <summary>Names the metric: metric, subject and statistic, e.g. "latency p95" or "checks 'status is 2xx' ratio".</summary>
    public static string MetricName(MetricJudgement m)
    {
        var name = m.Metric;
        if (!string.IsNullOrEmpty(m.Subject))
        {
            name += $" '{m.Subject}'";
        }

        if (!string.IsNullOrEmpty(m.Statistic))
        {
            name += " " + m.Statistic;
        }

        return name + (m.Critical ? " (critical)" : "");
    }

    public static string Scope(string scenario, string? step) => step is null ? scenario : $"{scenario} / {step}";

    /// <summary>A classification in words with a symbol, never by colour alone.</summary>
    public static string Classification(Classification c) => c switch
    {
        LoadLab.Compare.Model.Classification.Pass => "✓ pass",
        LoadLab.Compare.Model.Classification.Improved => "✓ improved",
        LoadLab.Compare.Model.Classification.Regressed => "✗ REGRESSED",
        _ => "– no data",
    };

    public static string VerdictHeadline(ComparisonReport report) => report.Verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Marginal => "MARGINAL",
        _ => "FAIL",
    } + $": score {ReportFormat.Significant(report.Score)} ({report.Passed} of {report.Judged} judged metrics passed)";

    public static string RunName(RunReference run) =>
        string.IsNullOrEmpty(run.Release) ? run.Id : $"{run.Release} ({run.Id})";
}
