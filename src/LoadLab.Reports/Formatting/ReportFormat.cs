using System.Globalization;
using System.Net;
using LoadLab.Results;

namespace LoadLab.Reports.Formatting;

/// <summary>Number, time and text formatting shared by every report (invariant culture).</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Formats a latency in seconds as µs, ms or s with three significant digits.</summary>
    public static string Latency(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            return "n/a";
        }

        var abs = Math.Abs(seconds);
        if (abs == 0)
        {
            return "0 ms";
        }

        if (abs < 0.001)
        {
            return Significant(seconds * 1e6) + " µs";
        }

        if (abs < 1)
        {
            return Significant(seconds * 1e3) + " ms";
        }

        return Significant(seconds) + " s";
    }

    /// <summary>Formats a latency in milliseconds for axis ticks and table cells that share one unit.</summary>
    public static string Milliseconds(double seconds) => Significant(seconds * 1e3);

    /// <summary>Formats a number with three significant digits and no exponent.</summary>
    public static string Significant(double value)
    {
        var abs = Math.Abs(value);
        var decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
        return value.ToString("0." + new string('#', decimals), s_inv);
    }

    /// <summary>Formats a rate per second.</summary>
    public static string Rate(double perSecond) => Significant(perSecond) + "/s";

    /// <summary>Formats a ratio (0..1) as a percentage.</summary>
    public static string Percent(double ratio)
    {
        if (double.IsNaN(ratio))
        {
            return "n/a";
        }

        var pct = ratio * 100;
        return (pct == 0 ? "0" : pct < 0.01 ? pct.ToString("0.####", s_inv) : pct.ToString("0.##", s_inv)) + "%";
    }

    /// <summary>Formats a count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("#,0", s_inv);

    /// <summary>Formats a plain number (axis ticks).</summary>
    public static string Number(double value) => value.ToString("0.###", s_inv);

    /// <summary>Formats a number for SVG coordinates (one decimal, invariant).</summary>
    public static string Coord(double value) => Math.Round(value, 1).ToString("0.#", s_inv);

    /// <summary>Formats a UTC time.</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", s_inv);

    /// <summary>Formats a duration in seconds as h/m/s.</summary>
    public static string Duration(double seconds)
    {
        if (seconds < 60)
        {
            return Significant(seconds) + " s";
        }

        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h {span.Minutes}m {span.Seconds}s"
            : $"{span.Minutes}m {span.Seconds}s";
    }

    /// <summary>HTML-encodes text for element content and attribute values.</summary>
    public static string Html(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Formats a threshold's measured value or bound in the unit its expression implies.</summary>
    public static string ThresholdValue(string expr, double? value)
    {
        if (value is not { } v)
        {
            return "no data";
        }

        var e = expr.ToLowerInvariant();
        if (e.Contains("_time", StringComparison.Ordinal) || e.Contains("latency", StringComparison.Ordinal))
        {
            return Latency(v);
        }

        if (e.Contains("error_rate", StringComparison.Ordinal) || e.Contains("checks", StringComparison.Ordinal) || e.Contains('%', StringComparison.Ordinal))
        {
            return Percent(v);
        }

        if (e.Contains("rps", StringComparison.Ordinal))
        {
            return Rate(v);
        }

        return Number(v);
    }

    /// <summary>Gets the share of failed of all, or 0 with none.</summary>
    public static double ErrorRatio(long ok, long fail) => ok + fail == 0 ? 0 : (double)fail / (ok + fail);

    /// <summary>Describes the run status in one line that a person can act on.</summary>
    public static string StatusHeadline(RunResult result) => result.Status switch
    {
        RunStatus.Passed => "PASSED: every threshold held",
        RunStatus.Failed => "FAILED: " + (FailedThresholdCount(result) is var n and > 0 ? $"{n} of {result.Thresholds.Count} thresholds failed" : "the run failed"),
        RunStatus.Aborted => "ABORTED: a threshold with abort stopped the run early; the result is partial",
        RunStatus.Interrupted => "INTERRUPTED: the run was stopped (Ctrl+C or SIGTERM); the result is partial",
        _ => "STATUS " + result.Status.ToUpperInvariant(),
    };

    /// <summary>Gets the run's error to show under the headline, or null when it has none or only repeats the headline.</summary>
    public static string? ErrorDetail(RunResult result) =>
        string.IsNullOrWhiteSpace(result.Error) || StatusHeadline(result).Contains(result.Error, StringComparison.OrdinalIgnoreCase)
            ? null
            : result.Error;

    /// <summary>Gets the number of failed thresholds.</summary>
    public static int FailedThresholdCount(RunResult result) => result.Thresholds.Count(t => !t.Passed);

    /// <summary>Gets a threshold's display name: scenario, expression and window.</summary>
    public static string ThresholdName(ThresholdResult t)
    {
        var name = string.IsNullOrEmpty(t.Scenario) ? t.Expr : $"{t.Scenario}: {t.Expr}";
        return t.Window is { } w ? $"{name} (window {Number(w)}s)" : name;
    }

    /// <summary>Explains why a threshold failed.</summary>
    public static string ThresholdReason(ThresholdResult t)
    {
        var reason = $"measured {ThresholdValue(t.Expr, t.Value)}, bound {ThresholdValue(t.Expr, t.Bound)}";
        if (t.FailedAt is { } at)
        {
            reason += $", first failed {Number(at)}s into the run";
        }

        if (t.Abort)
        {
            reason += ", aborts the run";
        }

        return reason;
    }
}
