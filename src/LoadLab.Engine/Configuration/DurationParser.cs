using System.Globalization;
using System.Text.RegularExpressions;

namespace LoadLab.Engine.Configuration;

/// <summary>Parses durations as profiles write them: 250ms, 1.5s, 2m, 1h (also 1m30s).</summary>
public static partial class DurationParser
{
    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<u>us|µs|ms|s|m|h))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration.</param>
    /// <param name="allowBareMilliseconds">Whether a bare number means milliseconds (thresholds, like k6).</param>
    /// <returns>True when it parses.</returns>
    public static bool TryParse(string? text, out TimeSpan value, bool allowBareMilliseconds = false)
    {
        value = TimeSpan.Zero;
        text = text?.Trim() ?? "";
        if (allowBareMilliseconds && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            value = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        if (!Pattern().IsMatch(text))
        {
            return false;
        }

        double seconds = 0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            seconds += m.Groups["u"].Value switch
            {
                "us" or "µs" => n / 1e6,
                "ms" => n / 1e3,
                "s" => n,
                "m" => n * 60,
                _ => n * 3600,
            };
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Formats a duration the way profiles write it.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text, e.g. 250ms or 1.5s.</returns>
    public static string Format(TimeSpan value) =>
        value.TotalSeconds < 1 ? $"{value.TotalMilliseconds:0.###}ms" :
        value.TotalSeconds < 120 ? $"{value.TotalSeconds:0.###}s" :
        value.TotalMinutes < 120 ? $"{value.TotalMinutes:0.###}m" : $"{value.TotalHours:0.###}h";
}
