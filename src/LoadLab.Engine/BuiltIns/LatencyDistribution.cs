using System.Globalization;
using System.Text.RegularExpressions;
using LoadLab.Engine.Configuration;

namespace LoadLab.Engine.BuiltIns;

/// <summary>A latency: fixed ("20ms") or lognormal given its median and p99 ("lognormal(20ms, 200ms)").</summary>
public sealed partial record LatencyDistribution(TimeSpan Median, TimeSpan? P99)
{
    // z of the 99th percentile of the standard normal distribution.
    private const double Z99 = 2.3263478740408408;

    [GeneratedRegex(@"^\s*lognormal\(\s*(?<m>[^,\s]+)\s*,\s*(?<p>[^)\s]+)\s*\)\s*$")]
    private static partial Regex LogNormal();

    /// <summary>Parses a latency.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The distribution.</param>
    /// <returns>True when it parses and p99 is not below the median.</returns>
    public static bool TryParse(string? text, out LatencyDistribution value)
    {
        value = new LatencyDistribution(TimeSpan.Zero, null);
        if (DurationParser.TryParse(text, out var fixedValue))
        {
            value = new LatencyDistribution(fixedValue, null);
            return true;
        }

        var m = LogNormal().Match(text ?? "");
        if (m.Success && DurationParser.TryParse(m.Groups["m"].Value, out var median) && DurationParser.TryParse(m.Groups["p"].Value, out var p99)
            && median > TimeSpan.Zero && p99 >= median)
        {
            value = new LatencyDistribution(median, p99);
            return true;
        }

        return false;
    }

    /// <summary>Draws a latency.</summary>
    /// <param name="uniform">A source of uniform numbers in [0, 1).</param>
    /// <returns>The latency.</returns>
    public TimeSpan Sample(Func<double> uniform)
    {
        ArgumentNullException.ThrowIfNull(uniform);
        if (P99 is null)
        {
            return Median;
        }

        var mu = Math.Log(Median.TotalSeconds);
        var sigma = (Math.Log(P99.Value.TotalSeconds) - mu) / Z99;
        // Box-Muller; 1 - u keeps the logarithm finite.
        var z = Math.Sqrt(-2 * Math.Log(1 - uniform())) * Math.Cos(2 * Math.PI * uniform());
        return TimeSpan.FromSeconds(Math.Exp(mu + (sigma * z)));
    }

    /// <inheritdoc/>
    public override string ToString() => P99 is null
        ? DurationParser.Format(Median)
        : string.Create(CultureInfo.InvariantCulture, $"lognormal({DurationParser.Format(Median)}, {DurationParser.Format(P99.Value)})");
}
