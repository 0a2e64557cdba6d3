using System.Globalization;
using System.Text.RegularExpressions;

namespace LoadLab.Chaos.Faults;

/// <summary>Durations as the fault file writes them: <c>300ms</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c>.</summary>
public static partial class FaultDuration
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text, e.g. "300ms".</param>
    /// <param name="value">The duration.</param>
    /// <returns>True when the text is a duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var match = DurationRegex().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var milliseconds = match.Groups[2].Value switch
        {
            "ms" => number,
            "s" => number * 1_000,
            "m" => number * 60_000,
            _ => number * 3_600_000,
        };
        if (milliseconds > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>Formats a duration the way the fault file writes it.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The shortest exact form among ms, s, m and h.</returns>
    public static string Format(TimeSpan value)
    {
        var ms = value.TotalMilliseconds;
        if (ms != 0 && ms % 3_600_000 == 0)
        {
            return (ms / 3_600_000).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (ms != 0 && ms % 60_000 == 0)
        {
            return (ms / 60_000).ToString(CultureInfo.InvariantCulture) + "m";
        }

        if (ms != 0 && ms % 1_000 == 0)
        {
            return (ms / 1_000).ToString(CultureInfo.InvariantCulture) + "s";
        }

        return ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();
}

/// <summary>
/// Extra latency: fixed (<c>300ms</c>) or log-normal given its median and 99th percentile
/// (<c>lognormal(200ms, 800ms)</c>).
/// </summary>
public sealed partial class LatencyDistribution
{
    // z of the standard normal distribution at 0.99: p99 = median * exp(sigma * z99).
    private const double Z99 = 2.3263478740408408;

    /// <summary>Gets or sets the fixed latency, or the median of the log-normal distribution.</summary>
    public TimeSpan Median { get; set; }

    /// <summary>Gets or sets the 99th percentile of the log-normal distribution; null for a fixed latency.</summary>
    public TimeSpan? P99 { get; set; }

    /// <summary>Creates a fixed latency.</summary>
    /// <param name="value">The latency.</param>
    /// <returns>The distribution.</returns>
    public static LatencyDistribution Fixed(TimeSpan value) => new() { Median = value };

    /// <summary>Creates a log-normal latency.</summary>
    /// <param name="median">The median.</param>
    /// <param name="p99">The 99th percentile.</param>
    /// <returns>The distribution.</returns>
    public static LatencyDistribution LogNormal(TimeSpan median, TimeSpan p99) => new() { Median = median, P99 = p99 };

    /// <summary>Parses "300ms" or "lognormal(200ms, 800ms)".</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The distribution.</param>
    /// <returns>True when the text is a latency.</returns>
    public static bool TryParse(string? text, out LatencyDistribution value)
    {
        value = new LatencyDistribution();
        if (FaultDuration.TryParse(text, out var fixedValue))
        {
            value.Median = fixedValue;
            return true;
        }

        var match = LogNormalRegex().Match(text?.Trim() ?? "");
        if (match.Success && FaultDuration.TryParse(match.Groups[1].Value, out var median) && FaultDuration.TryParse(match.Groups[2].Value, out var p99))
        {
            value.Median = median;
            value.P99 = p99;
            return true;
        }

        return false;
    }

    /// <summary>Draws one latency.</summary>
    /// <param name="randomizer">Uniform numbers in [0, 1).</param>
    /// <returns>The latency.</returns>
    public TimeSpan Sample(Func<double> randomizer)
    {
        ArgumentNullException.ThrowIfNull(randomizer);
        if (P99 is not { } p99 || p99 <= Median || Median <= TimeSpan.Zero)
        {
            return Median;
        }

        // Box-Muller; 1 - u keeps the logarithm away from zero.
        var u1 = 1.0 - randomizer();
        var u2 = randomizer();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var sigma = Math.Log(p99.TotalMilliseconds / Median.TotalMilliseconds) / Z99;
        var ms = Median.TotalMilliseconds * Math.Exp(sigma * z);
        return TimeSpan.FromMilliseconds(Math.Min(ms, FaultConstants.MaxDuration.TotalMilliseconds));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        P99 is { } p99 ? $"lognormal({FaultDuration.Format(Median)}, {FaultDuration.Format(p99)})" : FaultDuration.Format(Median);

    internal void Validate(Action<string> report)
    {
        if (Median <= TimeSpan.Zero || Median > FaultConstants.MaxDuration)
        {
            report($"expected a latency between 1ms and {FaultDuration.Format(FaultConstants.MaxDuration)}, got {FaultDuration.Format(Median)}");
        }

        if (P99 is { } p99 && p99 < Median)
        {
            report($"expected the p99 of lognormal(median, p99) to be at least the median, got {this}");
        }
    }

    [GeneratedRegex(@"^lognormal\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex LogNormalRegex();
}
