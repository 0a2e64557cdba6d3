using System.Globalization;

namespace LoadLab.Telemetry;

/// <summary>
/// Reads a sink's settings (its <c>outputs:</c> entry in a profile) with messages that name the field.
/// Every sink project uses it, so all outputs read durations, numbers and switches alike.
/// </summary>
/// <param name="sink">The sink name, used in messages (<c>outputs.&lt;sink&gt;.&lt;key&gt;</c>).</param>
/// <param name="values">The settings as written.</param>
public sealed class SinkSettings(string sink, IReadOnlyDictionary<string, string> values)
{
    /// <summary>Reads a setting as trimmed text.</summary>
    /// <param name="key">The setting.</param>
    /// <returns>The text, or null when absent or blank.</returns>
    public string? GetString(string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Reads a duration such as 5s, 500ms or 1m (a bare number is seconds).</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="SinkConfigurationException">The value is not a duration in range.</exception>
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

    /// <summary>Reads a whole number.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The number.</returns>
    /// <exception cref="SinkConfigurationException">The value is not a whole number in range.</exception>
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

    /// <summary>Reads a switch: true/false, yes/no, on/off or 1/0.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The switch.</returns>
    /// <exception cref="SinkConfigurationException">The value is not a switch.</exception>
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

    /// <summary>Reads a fraction written as 0.05 or 5%.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The fraction, 0 to 1.</returns>
    /// <exception cref="SinkConfigurationException">The value is not a fraction.</exception>
    public double GetFraction(string key, double defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        var percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value) || (percent ? value is < 0 or > 100 : value is < 0 or > 1))
        {
            throw Invalid(key, text, "a fraction between 0 and 1 (e.g. 0.01) or a percentage (e.g. 1%)");
        }

        return percent ? value / 100 : value;
    }

    /// <summary>Reads a duration that may be switched off with "off".</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The duration, or null when off.</returns>
    /// <exception cref="SinkConfigurationException">The value is neither a duration in range nor off.</exception>
    public TimeSpan? GetOptionalDuration(string key, TimeSpan? defaultValue, TimeSpan max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!TryParseDuration(text, out var value) || value > max)
        {
            throw Invalid(key, text, $"a duration such as 2s or 500ms, or off");
        }

        return value;
    }

    /// <summary>Creates the error for a setting that is not what was expected.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="value">The value as written.</param>
    /// <param name="expected">What was expected, e.g. "true or false".</param>
    /// <returns>The exception, naming outputs.&lt;sink&gt;.&lt;key&gt;.</returns>
    public SinkConfigurationException Invalid(string key, string value, string expected) =>
        new($"outputs.{sink}.{key}: expected {expected}, got '{value}'.");

    /// <summary>Parses a duration such as 5s, 500ms, 1m, 1h, or a bare number of seconds.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration.</param>
    /// <returns>True when it parses.</returns>
    public static bool TryParseDuration(string text, out TimeSpan value)
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
