using System.Globalization;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus;

/// <summary>Reads a sink's profile settings (<c>outputs:</c> entry) with messages that name the field.</summary>
internal sealed class SinkSettings(string sink, IReadOnlyDictionary<string, string> values)
{
    public string? GetString(string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public TimeSpan GetDuration(string key, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!TryParseDuration(text, out var value) || value < min || value > max)
        {
            throw Invalid(key, text, $"a duration between {Format(min)} and {Format(max)} such as 5s, 500ms or 1m");
        }

        return value;
    }

    public int GetInt(string key, int defaultValue, int min, int max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Invalid(key, text, $"a whole number between {min} and {max}");
        }

        return value;
    }

    public bool GetBool(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" or "on" => true,
            "false" or "no" or "0" or "off" => false,
            _ => throw Invalid(key, text, "true or false"),
        };
    }

    public SinkConfigurationException Invalid(string key, string value, string expected) =>
        new($"outputs.{sink}.{key}: expected {expected}, got '{value}'.");

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        (string Suffix, double Factor)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
                number >= 0 && double.IsFinite(number))
            {
                value = TimeSpan.FromSeconds(number * factor);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return false;
    }

    private static string Format(TimeSpan value) =>
        value.TotalSeconds >= 1 ? value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s" : value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}
