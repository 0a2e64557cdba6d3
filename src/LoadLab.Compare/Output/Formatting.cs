using System.Globalization;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;

namespace LoadLab.Compare.Output;

/// <summary>Value formatting shared by the text renderers.</summary>
internal static class Formatting
{
    public static string Value(double? value, string unit)
    {
        if (value is not { } v)
        {
            return "n/a";
        }

        return unit switch
        {
            "us" => Duration(v),
            "ratio" => (v * 100).ToString(v < 0.0001 && v > 0 ? "0.0000" : "0.00", CultureInfo.InvariantCulture) + "%",
            "per_second" => v.ToString("0.0", CultureInfo.InvariantCulture) + "/s",
            _ => v.ToString("G4", CultureInfo.InvariantCulture),
        };
    }

    public static string Duration(double microseconds)
    {
        var abs = Math.Abs(microseconds);
        return abs >= 1_000_000
            ? (microseconds / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
            : abs >= 1000
                ? (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
                : microseconds.ToString("0", CultureInfo.InvariantCulture) + " µs";
    }

    public static string Change(MetricJudgement j)
    {
        if (j.ToleranceKind == "relative")
        {
            if (j.RelativeDelta is not { } r)
            {
                return "n/a";
            }

            var text = (r >= 0 ? "+" : "") + Comparer.Percent(r);
            if (j.DeltaInterval is { } ci && j.Baseline is > 0 && j.Metric == "latency")
            {
                var b = j.Baseline.Value;
                text += string.Create(CultureInfo.InvariantCulture, $" [{Signed(ci.Lower / b)}, {Signed(ci.Upper / b)}]");
            }

            return text;
        }

        return j.Delta is { } d ? (d >= 0 ? "+" : "-") + Comparer.Points(Math.Abs(d)) : "n/a";
    }

    public static string Signed(double fraction) => (fraction >= 0 ? "+" : "") + Comparer.Percent(fraction);

    public static string P(double? p) => p is not { } v ? "" : v < 0.0001 ? v.ToString("0.0e0", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Tolerance(MetricJudgement j) =>
        (j.Worse == "higher" ? "+" : "-") + (j.ToleranceKind == "relative" ? Comparer.Percent(j.Tolerance) : Comparer.Points(j.Tolerance));

    public static string Result(Classification c) => c switch
    {
        Classification.Pass => "Pass",
        Classification.Regressed => "Regressed (High)",
        Classification.Improved => "Improved (Low)",
        _ => "NoData",
    };
}
