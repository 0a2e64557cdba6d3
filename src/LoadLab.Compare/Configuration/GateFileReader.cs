using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Compare.Configuration;

/// <summary>
/// Reads a comparison gate file (YAML) into <see cref="ComparisonOptions"/>. Every mistake is reported
/// with the file, line, column and field, and what was expected.
/// </summary>
public static class GateFileReader
{
    /// <summary>Reads a gate file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The options (defaults for anything the file does not set).</returns>
    /// <exception cref="CompareInputException">The file is missing or invalid.</exception>
    public static ComparisonOptions Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompareInputException($"Gate file '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses gate file text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="path">The file name for messages.</param>
    /// <returns>The options.</returns>
    /// <exception cref="CompareInputException">The text is invalid.</exception>
    public static ComparisonOptions Parse(string yaml, string path)
    {
        var options = new ComparisonOptions { GateFile = path };
        var root = YamlReading.LoadRoot(yaml, path);
        if (root is null)
        {
            return options;
        }

        var reader = new YamlReading(path);
        var map = reader.Mapping(root, "(root)");
        foreach (var (keyNode, value) in map.Children)
        {
            var key = reader.Key(keyNode);
            switch (key)
            {
                case "alpha":
                    options.Alpha = reader.Number(value, key, 1e-9, 0.5);
                    break;
                case "effect_confidence":
                    options.EffectConfidence = reader.Number(value, key, 0.5, 0.99);
                    break;
                case "latency":
                    options.Latency = reader.OneOf(value, key, CompareConstants.ResponseTime, CompareConstants.ServiceTime);
                    break;
                case "score":
                    foreach (var (k, v) in reader.Mapping(value, key).Children)
                    {
                        var field = $"score.{reader.Key(k)}";
                        switch (reader.Key(k))
                        {
                            case "pass": options.PassScore = reader.Number(v, field, 0, 100); break;
                            case "marginal": options.MarginalScore = reader.Number(v, field, 0, 100); break;
                            default: throw reader.Unknown(k, field, "pass, marginal");
                        }
                    }

                    break;
                case "bootstrap":
                    foreach (var (k, v) in reader.Mapping(value, key).Children)
                    {
                        var field = $"bootstrap.{reader.Key(k)}";
                        switch (reader.Key(k))
                        {
                            case "resamples": options.BootstrapResamples = (int)reader.Number(v, field, 100, 100_000, integer: true); break;
                            case "seed": options.Seed = (int)reader.Number(v, field, int.MinValue, int.MaxValue, integer: true); break;
                            default: throw reader.Unknown(k, field, "resamples, seed");
                        }
                    }

                    break;
                case "metrics":
                    foreach (var (k, v) in reader.Mapping(value, key).Children)
                    {
                        var metric = reader.Key(k);
                        if (!CompareConstants.MetricNames.Contains(metric))
                        {
                            throw reader.Unknown(k, $"metrics.{metric}", string.Join(", ", CompareConstants.MetricNames));
                        }

                        ReadMetric(reader, v, $"metrics.{metric}", metric, options.Metrics[metric], options);
                    }

                    break;
                case "overrides":
                    if (value is not YamlSequenceNode sequence)
                    {
                        throw reader.Error(value, key, "a list of { scenario, step, metric, tolerance, critical, enabled, statistic }");
                    }

                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        options.Overrides.Add(ReadOverride(reader, sequence.Children[i], $"overrides[{i}]"));
                    }

                    break;
                default:
                    throw reader.Unknown(keyNode, key, "alpha, effect_confidence, latency, score, bootstrap, metrics, overrides");
            }
        }

        if (options.MarginalScore > options.PassScore)
        {
            throw new CompareInputException($"Gate file '{path}': score.marginal ({options.MarginalScore.ToString(CultureInfo.InvariantCulture)}) must not exceed score.pass ({options.PassScore.ToString(CultureInfo.InvariantCulture)}).");
        }

        return options;
    }

    private static void ReadMetric(YamlReading reader, YamlNode node, string field, string metric, MetricOptions target, ComparisonOptions options)
    {
        foreach (var (k, v) in reader.Mapping(node, field).Children)
        {
            var key = reader.Key(k);
            var name = $"{field}.{key}";
            switch (key)
            {
                case "enabled": target.Enabled = reader.Bool(v, name); break;
                case "critical": target.Critical = reader.Bool(v, name); break;
                case "tolerance": target.Tolerance = reader.Fraction(v, name); break;
                case "statistic" when metric == CompareConstants.Latency: target.Statistic = ReadStatistic(reader, v, name); break;
                case "good_outcomes" when metric == CompareConstants.Business:
                    if (v is not YamlSequenceNode outcomes)
                    {
                        throw reader.Error(v, name, "a list of outcome names, e.g. [ok, approved]");
                    }

                    options.GoodOutcomes = outcomes.Children.Select(o => reader.Scalar(o, name)).ToList();
                    break;
                default:
                    var allowed = metric switch
                    {
                        CompareConstants.Latency => "enabled, critical, tolerance, statistic",
                        CompareConstants.Business => "enabled, critical, tolerance, good_outcomes",
                        _ => "enabled, critical, tolerance",
                    };
                    throw reader.Unknown(k, name, allowed);
            }
        }
    }

    private static MetricOverride ReadOverride(YamlReading reader, YamlNode node, string field)
    {
        var result = new MetricOverride();
        foreach (var (k, v) in reader.Mapping(node, field).Children)
        {
            var key = reader.Key(k);
            var name = $"{field}.{key}";
            switch (key)
            {
                case "scenario": result.Scenario = reader.Scalar(v, name); break;
                case "step": result.Step = reader.Scalar(v, name); break;
                case "metric":
                    result.Metric = reader.Scalar(v, name);
                    if (!CompareConstants.MetricNames.Contains(result.Metric))
                    {
                        throw reader.Error(v, name, $"one of {string.Join(", ", CompareConstants.MetricNames)}");
                    }

                    break;
                case "enabled": result.Enabled = reader.Bool(v, name); break;
                case "critical": result.Critical = reader.Bool(v, name); break;
                case "tolerance": result.Tolerance = reader.Fraction(v, name); break;
                case "statistic": result.Statistic = ReadStatistic(reader, v, name); break;
                default: throw reader.Unknown(k, name, "scenario, step, metric, enabled, critical, tolerance, statistic");
            }
        }

        if (result.Statistic is not null && result.Metric != CompareConstants.Latency)
        {
            throw reader.Error(node, $"{field}.statistic", "a statistic only together with metric: latency");
        }

        return result;
    }

    private static string ReadStatistic(YamlReading reader, YamlNode node, string field)
    {
        var allowed = CompareConstants.Percentiles.Keys.Append(CompareConstants.HodgesLehmannStatistic).ToArray();
        return reader.OneOf(node, field, allowed);
    }
}

/// <summary>Small helpers to read YAML nodes with file/line/field messages (shared by the gate files).</summary>
internal sealed class YamlReading(string path, string kind = "Gate file")
{
    public static YamlNode? LoadRoot(string yaml, string path, string kind = "Gate file")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new CompareInputException($"{kind} '{path}' line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.Message}", e);
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    public CompareInputException Error(YamlNode node, string field, string expected)
    {
        var got = node is YamlScalarNode s ? $"'{s.Value}'" : node is YamlSequenceNode ? "a list" : "a mapping";
        return new CompareInputException($"{kind} '{path}' line {node.Start.Line}, column {node.Start.Column}: field '{field}': expected {expected}, got {got}.");
    }

    public CompareInputException Unknown(YamlNode keyNode, string field, string allowed) =>
        new($"{kind} '{path}' line {keyNode.Start.Line}, column {keyNode.Start.Column}: unknown field '{field}'; expected one of: {allowed}.");

    public string Key(YamlNode node) => node is YamlScalarNode { Value: { } v } ? v : throw Error(node, "(key)", "a name");

    public YamlMappingNode Mapping(YamlNode node, string field) => node as YamlMappingNode ?? throw Error(node, field, "a mapping (key: value)");

    public string Scalar(YamlNode node, string field) => node is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(node, field, "a value");

    public string OneOf(YamlNode node, string field, params string[] allowed)
    {
        var value = Scalar(node, field);
        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw Error(node, field, $"one of {string.Join(", ", allowed)}");
    }

    public bool Bool(YamlNode node, string field) => Scalar(node, field) switch
    {
        "true" or "True" or "yes" => true,
        "false" or "False" or "no" => false,
        _ => throw Error(node, field, "true or false"),
    };

    public double Number(YamlNode node, string field, double min, double max, bool integer = false)
    {
        var text = Scalar(node, field);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max || (integer && value != Math.Floor(value)))
        {
            var kind = integer ? "an integer" : "a number";
            throw Error(node, field, string.Create(CultureInfo.InvariantCulture, $"{kind} between {min} and {max}"));
        }

        return value;
    }

    /// <summary>Reads "5%" (0.05), "+5%" or a plain fraction "0.05".</summary>
    public double Fraction(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        var percent = text.EndsWith('%');
        var number = (percent ? text[..^1] : text).TrimStart('+');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || (percent ? value > 1000 : value > 10))
        {
            throw Error(node, field, "a non-negative percentage like 5% or a fraction like 0.05");
        }

        return percent ? value / 100 : value;
    }
}
