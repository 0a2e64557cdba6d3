using System.Globalization;
using System.Text.RegularExpressions;
using LoadLab.Histograms;

namespace LoadLab.Engine.Thresholds;

/// <summary>
/// A threshold: an expression such as <c>p95(response_time) &lt; 300ms</c> or <c>error_rate &lt; 1%</c>,
/// judged over the whole run or over a sliding <see cref="Window"/>; with <see cref="Abort"/> a failure
/// stops the run once <see cref="After"/> has passed.
/// </summary>
public sealed record ThresholdSpec
{
    private ThresholdSpec(string expr, ThresholdExpression parsed)
    {
        Expr = expr;
        Parsed = parsed;
    }

    /// <summary>Gets the expression as written.</summary>
    public string Expr { get; }

    /// <summary>Gets the window, or null for the whole run.</summary>
    public TimeSpan? Window { get; init; }

    /// <summary>Gets a value indicating whether a failure aborts the run.</summary>
    public bool Abort { get; init; }

    /// <summary>Gets how long into the run an abort threshold starts to be judged.</summary>
    public TimeSpan After { get; init; }

    internal ThresholdExpression Parsed { get; }

    /// <summary>Parses an expression.</summary>
    /// <param name="expr">The expression.</param>
    /// <returns>The threshold.</returns>
    /// <exception cref="FormatException">The expression does not parse; the message says what was expected.</exception>
    public static ThresholdSpec Parse(string expr) => new(expr, ThresholdExpression.Parse(expr));
}

internal enum ThresholdMetric
{
    Percentile,
    Mean,
    Min,
    Max,
    ErrorRate,
    Rps,
    Checks,
    Dropped,
    BusinessShare,
    BusinessCount,
}

internal sealed partial record ThresholdExpression(
    ThresholdMetric Metric,
    double Percentile,
    bool ServiceTime,
    string? Step,
    string? Event,
    string? Outcome,
    string Operator,
    double Bound)
{
    public bool IsLatency => Metric is ThresholdMetric.Percentile or ThresholdMetric.Mean or ThresholdMetric.Min or ThresholdMetric.Max;

    public const string Expected =
        "expected '<statistic>(response_time|service_time[{step=NAME}]) <op> <duration>' (statistic p50..p99.9, mean, min, max), " +
        "'error_rate|checks <op> <percent>', 'rps <op> <number>', 'dropped_iterations <op> <number>', " +
        "'<event>.<outcome> <op> <percent>' or 'count(<event>.<outcome>) <op> <number>'; <op> is <, <=, >, >=, == or !=";

    [GeneratedRegex(@"^\s*(?<lhs>.+?)\s*(?<op><=|>=|==|!=|<|>)\s*(?<rhs>[^\s<>=!]+)\s*$")]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^(?<stat>p\d+(\.\d+)?|mean|avg|min|max)\(\s*(?<series>response_time|service_time)\s*(\{\s*step\s*=\s*""?(?<step>[^""}]+)""?\s*\})?\s*\)$")]
    private static partial Regex LatencyMetric();

    [GeneratedRegex(@"^count\(\s*(?<event>[A-Za-z_][\w-]*)\.(?<outcome>[A-Za-z_][\w-]*)\s*\)$")]
    private static partial Regex BusinessCountMetric();

    [GeneratedRegex(@"^(?<event>[A-Za-z_][\w-]*)\.(?<outcome>[A-Za-z_][\w-]*)$")]
    private static partial Regex BusinessShareMetric();

    public static ThresholdExpression Parse(string? expression)
    {
        var text = expression ?? "";
        var m = Comparison().Match(text);
        if (!m.Success)
        {
            throw new FormatException($"'{text}' is not a threshold; {Expected}.");
        }

        var lhs = m.Groups["lhs"].Value.Trim();
        var op = m.Groups["op"].Value;
        var rhs = m.Groups["rhs"].Value;

        if (LatencyMetric().Match(lhs) is { Success: true } lm)
        {
            var stat = lm.Groups["stat"].Value;
            var metric = stat switch
            {
                "mean" or "avg" => ThresholdMetric.Mean,
                "min" => ThresholdMetric.Min,
                "max" => ThresholdMetric.Max,
                _ => ThresholdMetric.Percentile,
            };
            double percentile = 0;
            if (metric == ThresholdMetric.Percentile)
            {
                // p999 is read as 99.9, p9999 as 99.99 (k6/Gatling style); p99.9 is accepted too.
                var digits = stat[1..];
                percentile = digits.Contains('.', StringComparison.Ordinal) || digits.Length <= 2
                    ? double.Parse(digits, CultureInfo.InvariantCulture)
                    : double.Parse(digits[..2] + "." + digits[2..], CultureInfo.InvariantCulture);
                if (percentile is <= 0 or > 100)
                {
                    throw new FormatException($"'{text}': percentile {stat} must be between p0 and p100.");
                }
            }

            var bound = ParseDuration(rhs, text);
            return new ThresholdExpression(metric, percentile, lm.Groups["series"].Value == "service_time",
                lm.Groups["step"].Success ? lm.Groups["step"].Value.Trim() : null, null, null, op, bound);
        }

        switch (lhs)
        {
            case "error_rate":
                return new(ThresholdMetric.ErrorRate, 0, false, null, null, null, op, ParseRatio(rhs, text));
            case "checks":
                return new(ThresholdMetric.Checks, 0, false, null, null, null, op, ParseRatio(rhs, text));
            case "rps":
                return new(ThresholdMetric.Rps, 0, false, null, null, null, op, ParseNumber(rhs, text));
            case "dropped_iterations":
                return new(ThresholdMetric.Dropped, 0, false, null, null, null, op, ParseNumber(rhs, text));
        }

        if (BusinessCountMetric().Match(lhs) is { Success: true } bc)
        {
            return new(ThresholdMetric.BusinessCount, 0, false, null, bc.Groups["event"].Value, bc.Groups["outcome"].Value, op, ParseNumber(rhs, text));
        }

        if (BusinessShareMetric().Match(lhs) is { Success: true } bs)
        {
            return new(ThresholdMetric.BusinessShare, 0, false, null, bs.Groups["event"].Value, bs.Groups["outcome"].Value, op, ParseRatio(rhs, text));
        }

        throw new FormatException($"'{text}': unknown metric '{lhs}'; {Expected}.");
    }

    private static double ParseDuration(string rhs, string text)
    {
        if (Configuration.DurationParser.TryParse(rhs, out var d, allowBareMilliseconds: true))
        {
            return d.TotalSeconds;
        }

        throw new FormatException($"'{text}': '{rhs}' is not a duration; expected a number with ms, s, m or h (a bare number means milliseconds).");
    }

    private static double ParseRatio(string rhs, string text)
    {
        if (rhs.EndsWith('%') && double.TryParse(rhs[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
        {
            return pct / 100;
        }

        if (double.TryParse(rhs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio))
        {
            return ratio;
        }

        throw new FormatException($"'{text}': '{rhs}' is not a ratio; expected a percentage such as 1% or a number such as 0.01.");
    }

    private static double ParseNumber(string rhs, string text) =>
        double.TryParse(rhs, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"'{text}': '{rhs}' is not a number.");

    public bool Holds(double value) => Operator switch
    {
        "<" => value < Bound,
        "<=" => value <= Bound,
        ">" => value > Bound,
        ">=" => value >= Bound,
        "==" => Math.Abs(value - Bound) < 1e-12,
        _ => Math.Abs(value - Bound) >= 1e-12,
    };

    /// <summary>Computes the value over a set of data; null when there is nothing to judge.</summary>
    public double? Evaluate(IThresholdData data)
    {
        switch (Metric)
        {
            case ThresholdMetric.Percentile:
            case ThresholdMetric.Mean:
            case ThresholdMetric.Min:
            case ThresholdMetric.Max:
                var h = data.Latency(Step, ServiceTime);
                if (h.IsEmpty)
                {
                    return null;
                }

                return Metric switch
                {
                    ThresholdMetric.Percentile => h.GetValueAtPercentile(Percentile) / 1e6,
                    ThresholdMetric.Mean => h.Mean / 1e6,
                    ThresholdMetric.Min => h.Min / 1e6,
                    _ => h.Max / 1e6,
                };
            case ThresholdMetric.ErrorRate:
                var (ok, fail) = data.Counts(Step);
                return ok + fail == 0 ? null : fail / (double)(ok + fail);
            case ThresholdMetric.Rps:
                var (o, f) = data.Counts(Step);
                return data.Seconds <= 0 ? null : (o + f) / data.Seconds;
            case ThresholdMetric.Checks:
                var (pass, failed) = data.Checks();
                return pass + failed == 0 ? null : pass / (double)(pass + failed);
            case ThresholdMetric.Dropped:
                return data.Dropped();
            case ThresholdMetric.BusinessCount:
                return data.Business(Event!, Outcome);
            case ThresholdMetric.BusinessShare:
                var total = data.Business(Event!, null);
                return total == 0 ? null : data.Business(Event!, Outcome) / (double)total;
            default:
                return null;
        }
    }
}

/// <summary>What a threshold is judged on: the whole run, or a window of it.</summary>
internal interface IThresholdData
{
    HistogramSnapshot Latency(string? step, bool service);

    (long Ok, long Fail) Counts(string? step);

    double Seconds { get; }

    (long Pass, long Fail) Checks();

    long Dropped();

    long Business(string eventName, string? outcome);
}
