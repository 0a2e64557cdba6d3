using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Engine.Configuration;

/// <summary>
/// A scenario's <c>settings:</c> with typed getters. A value of the wrong type is recorded as an error
/// that names its file, line, column and what was expected; the getter then returns the default.
/// </summary>
public sealed class ScenarioSettings
{
    private readonly YamlMappingNode? _node;
    private readonly Func<YamlNode?, string> _locate;
    private readonly string _path;
    private readonly List<ConfigError> _errors = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    internal ScenarioSettings(YamlMappingNode? node, string path, Func<YamlNode?, string> locate)
    {
        _node = node;
        _path = path;
        _locate = locate;
    }

    /// <summary>Creates settings from plain values (tests, C# callers).</summary>
    /// <param name="values">Keys and values as they would be written in YAML.</param>
    /// <returns>The settings.</returns>
    public static ScenarioSettings FromValues(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var node = new YamlMappingNode();
        foreach (var (k, v) in values)
        {
            node.Add(k, v);
        }

        return new ScenarioSettings(node, "settings", _ => "settings");
    }

    /// <summary>Gets the errors found so far.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>Gets the keys that are present.</summary>
    public IEnumerable<string> Keys => _node?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "") ?? [];

    internal IEnumerable<string> UnreadKeys => Keys.Where(k => !_read.Contains(k));

    /// <summary>Records an error at a setting.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    public void AddError(string key, string message) => _errors.Add(new ConfigError(_locate(Find(key) ?? _node), $"{_path}.{key}", message));

    /// <summary>Gets whether a setting is present.</summary>
    /// <param name="key">The setting.</param>
    /// <returns>True when present.</returns>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>Gets a string.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The default.</param>
    /// <returns>The value.</returns>
    public string GetString(string key, string defaultValue) => Scalar(key, "a string") ?? defaultValue;

    /// <summary>Gets a number.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The default.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string key, double defaultValue) =>
        Parse(key, defaultValue, "a number", "a number", static (string s, out double v) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v));

    /// <summary>Gets a ratio 0..1, written as 0.05 or 5%.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The default.</param>
    /// <returns>The value.</returns>
    public double GetRatio(string key, double defaultValue) =>
        Parse(key, defaultValue, "a ratio", "a ratio between 0 and 1 (e.g. 0.05 or 5%)", static (string s, out double v) =>
        {
            var percent = s.EndsWith('%');
            if (double.TryParse(percent ? s[..^1] : s, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
            {
                v = percent ? v / 100 : v;
                return v is >= 0 and <= 1;
            }

            return false;
        });

    /// <summary>Gets a whole number.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The default.</param>
    /// <returns>The value.</returns>
    public int GetInt(string key, int defaultValue) =>
        Parse(key, defaultValue, "a whole number", "a whole number", static (string s, out int v) =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v));

    /// <summary>Gets a boolean.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The default.</param>
    /// <returns>The value.</returns>
    public bool GetBool(string key, bool defaultValue) =>
        Parse(key, defaultValue, "true or false", "true or false", static (string s, out bool v) => bool.TryParse(s, out v));

    /// <summary>Gets a duration (250ms, 2s, 1m).</summary>
    /// <param name="key">The setting.</param>
    /// <param name="defaultValue">The default.</param>
    /// <returns>The value.</returns>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue) =>
        Parse(key, defaultValue, "a duration", "a duration such as 250ms, 2s or 1m", static (string s, out TimeSpan v) => DurationParser.TryParse(s, out v));

    /// <summary>Gets a map of strings.</summary>
    /// <param name="key">The setting.</param>
    /// <returns>The map; empty when absent.</returns>
    public IReadOnlyDictionary<string, string> GetMap(string key)
    {
        var node = Find(key);
        _read.Add(key);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            AddError(key, "expected a map of names to values");
            return result;
        }

        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode ks && v is YamlScalarNode vs)
            {
                result[ks.Value ?? ""] = vs.Value ?? "";
            }
            else
            {
                _errors.Add(new ConfigError(_locate(v), $"{_path}.{key}", "expected plain values in the map"));
            }
        }

        return result;
    }

    /// <summary>Gets a nested settings block.</summary>
    /// <param name="key">The setting.</param>
    /// <returns>The block, or null when absent or not a map (then an error is recorded).</returns>
    public ScenarioSettings? GetSection(string key)
    {
        var node = Find(key);
        _read.Add(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            AddError(key, "expected a map");
            return null;
        }

        var section = new ScenarioSettings(map, $"{_path}.{key}", _locate);
        _sections.Add(section);
        return section;
    }

    private readonly List<ScenarioSettings> _sections = [];

    internal IEnumerable<ConfigError> AllErrors => _errors.Concat(_sections.SelectMany(s => s.AllErrors));

    private YamlNode? Find(string key)
    {
        if (_node is null)
        {
            return null;
        }

        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    private delegate bool TryParser<T>(string text, out T value);

    /// <summary>A scalar setting: the default when absent, else parsed, else an error naming what was expected.</summary>
    private T Parse<T>(string key, T defaultValue, string kind, string expected, TryParser<T> tryParse)
    {
        var s = Scalar(key, kind);
        if (s is null)
        {
            return defaultValue;
        }

        if (tryParse(s, out var v))
        {
            return v;
        }

        AddError(key, $"expected {expected}, got '{s}'");
        return defaultValue;
    }

    private string? Scalar(string key, string expected)
    {
        _read.Add(key);
        var node = Find(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode s:
                return s.Value;
            default:
                AddError(key, $"expected {expected}, got a {(node is YamlMappingNode ? "map" : "list")}");
                return null;
        }
    }
}
