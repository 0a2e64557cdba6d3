using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Chaos.Faults;

/// <summary>Collects errors of a YAML document, each with file:line:column.</summary>
internal sealed class YamlErrors(string source)
{
    public string Source { get; } = source;

    public List<string> Errors { get; } = [];

    public void Add(YamlNode node, string path, string message) => Add(node.Start, path, message);

    public void Add(Mark mark, string path, string message) =>
        Errors.Add($"{Source}:{mark.Line}:{mark.Column}: {path}: {message}");

    public void ThrowIfAny(string what)
    {
        if (Errors.Count > 0)
        {
            throw new FaultSpecException($"The {what} '{Source}' is invalid.", Errors);
        }
    }

    public static YamlNode? LoadRoot(string text, YamlErrors errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            errors.Add(e.Start, "(document)", "expected valid YAML or JSON: " + e.Message);
            return null;
        }
    }

    public static string? Scalar(YamlNode node, string path, YamlErrors errors, string expected)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }

        errors.Add(node, path, $"expected {expected}, got a {(node is YamlSequenceNode ? "list" : "mapping")}");
        return null;
    }

    public static double? Number(YamlNode node, string path, YamlErrors errors, string expected)
    {
        var text = Scalar(node, path, errors, expected);
        if (text is null)
        {
            return null;
        }

        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return percent ? value / 100 : value;
        }

        errors.Add(node, path, $"expected {expected}, got '{text}'");
        return null;
    }

    public static TimeSpan? Duration(YamlNode node, string path, YamlErrors errors)
    {
        var text = Scalar(node, path, errors, "a duration such as 300ms, 5s, 2m");
        if (text is null)
        {
            return null;
        }

        if (FaultDuration.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(node, path, $"expected a duration such as 300ms, 5s, 2m or 1h, got '{text}'");
        return null;
    }

    public static bool? Bool(YamlNode node, string path, YamlErrors errors)
    {
        var text = Scalar(node, path, errors, "true or false");
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(node, path, $"expected true or false, got '{text}'");
        return null;
    }

    public static YamlMappingNode? Mapping(YamlNode node, string path, YamlErrors errors, string expected)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        errors.Add(node, path, $"expected {expected}");
        return null;
    }

    public static IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMappingNode mapping) =>
        mapping.Children.Select(pair => ((pair.Key as YamlScalarNode)?.Value ?? "", pair.Key, pair.Value));
}
