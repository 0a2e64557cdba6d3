using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Chaos.Faults;

/// <summary>
/// Reads and writes the fault file format (DESIGN.md "Chaos", docs/chaos.md): a mapping with a
/// <c>faults:</c> list, or the list alone. JSON is accepted too, since it is YAML's flow style.
/// </summary>
public static class FaultFile
{
    /// <summary>Reads a fault file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The faults.</returns>
    /// <exception cref="FaultSpecException">The file is missing or invalid; every error is listed.</exception>
    public static IReadOnlyList<FaultSpec> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FaultSpecException($"The fault file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses fault file text.</summary>
    /// <param name="text">YAML or JSON.</param>
    /// <param name="source">The name used in error messages (a file name, "request body").</param>
    /// <returns>The faults.</returns>
    /// <exception cref="FaultSpecException">The text is invalid; every error is listed.</exception>
    public static IReadOnlyList<FaultSpec> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new YamlErrors(source);
        var root = YamlErrors.LoadRoot(text, errors);
        var faults = new List<FaultSpec>();
        if (root is YamlMappingNode mapping)
        {
            foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
            {
                if (key == "faults")
                {
                    faults = ReadList(value, "faults", errors);
                }
                else
                {
                    errors.Add(keyNode, key, "unknown field (expected 'faults')");
                }
            }
        }
        else if (root is YamlSequenceNode)
        {
            faults = ReadList(root, "faults", errors);
        }
        else if (root is not null && !(root is YamlScalarNode { Value: null or "" }))
        {
            errors.Add(root, "(document)", "expected a mapping with 'faults:' or a list of faults");
        }

        errors.ThrowIfAny("fault file");
        return faults;
    }

    /// <summary>Writes faults as JSON in the fault file format (what the admin API's GET returns).</summary>
    /// <param name="faults">The faults.</param>
    /// <returns>JSON: <c>{"faults":[...]}</c>.</returns>
    public static string ToJson(IReadOnlyList<FaultSpec> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("faults");
            foreach (var fault in faults)
            {
                WriteFault(writer, fault);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static void WriteFault(Utf8JsonWriter writer, FaultSpec fault)
    {
        writer.WriteStartObject();
        writer.WriteString("name", fault.Name);
        writer.WriteNumber("rate", fault.Rate);
        if (fault.Match is { } match)
        {
            writer.WriteStartObject("match");
            if (match.Path is not null)
            {
                writer.WriteString("path", match.Path);
            }

            if (match.Method is not null)
            {
                writer.WriteString("method", match.Method);
            }

            writer.WriteEndObject();
        }

        if (fault.Window is { } window)
        {
            writer.WriteStartObject("window");
            writer.WriteString("after", FaultDuration.Format(window.After));
            if (window.For is { } length)
            {
                writer.WriteString("for", FaultDuration.Format(length));
            }

            writer.WriteEndObject();
        }

        switch (fault.Kind)
        {
            case FaultKind.Latency when fault.Latency is not null:
                writer.WriteString("latency", fault.Latency.ToString());
                break;
            case FaultKind.Status:
                WriteStatus(writer, "status", fault.Status!);
                break;
            case FaultKind.Abort:
                writer.WriteBoolean("abort", true);
                break;
            case FaultKind.Hang:
                writer.WriteString("hang", FaultDuration.Format(fault.Hang!.Value));
                break;
            case FaultKind.Outcome:
                WriteStatus(writer, "outcome", fault.Outcome!);
                break;
            default:
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter writer, string name, StatusResponse status)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("code", status.Code);
        writer.WriteString("body", status.Body);
        if (status.ContentType is not null)
        {
            writer.WriteString("content_type", status.ContentType);
        }

        writer.WriteEndObject();
    }

    internal static List<FaultSpec> ReadList(YamlNode node, string path, YamlErrors errors)
    {
        var faults = new List<FaultSpec>();
        if (node is YamlScalarNode { Value: null or "" })
        {
            return faults;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(node, path, "expected a list of faults");
            return faults;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadFault(sequence.Children[i], $"{path}[{i}]", errors, ignoredKeys: null) is { } fault)
            {
                faults.Add(fault);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < faults.Count; i++)
        {
            if (faults[i].Name.Length > 0 && !seen.Add(faults[i].Name))
            {
                errors.Add(sequence.Children[i], $"{path}[{i}].name", $"expected a unique name, '{faults[i].Name}' is used twice");
            }
        }

        return faults;
    }

    /// <summary>Reads one fault mapping; <paramref name="ignoredKeys"/> are fields of an enclosing format (a game-day action).</summary>
    internal static FaultSpec? ReadFault(YamlNode node, string path, YamlErrors errors, IReadOnlySet<string>? ignoredKeys)
    {
        if (YamlErrors.Mapping(node, path, errors, $"a fault: a mapping with name, rate and one of {FaultConstants.KindList}") is not { } mapping)
        {
            return null;
        }

        var firstError = errors.Errors.Count;
        var fault = new FaultSpec();
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            var fieldPath = $"{path}.{key}";
            marks[key] = value.Start;
            switch (key)
            {
                case "name":
                    fault.Name = YamlErrors.Scalar(value, fieldPath, errors, "a fault name") ?? "";
                    break;
                case "rate":
                    fault.Rate = YamlErrors.Number(value, fieldPath, errors, "a rate between 0 and 1 (or a percentage)") ?? 0;
                    break;
                case "match":
                    fault.Match = ReadMatch(value, fieldPath, errors, marks);
                    break;
                case "window":
                    fault.Window = ReadWindow(value, fieldPath, errors, marks);
                    break;
                case "latency":
                    var text = YamlErrors.Scalar(value, fieldPath, errors, "a latency such as 300ms or lognormal(200ms, 800ms)");
                    if (text is not null && LatencyDistribution.TryParse(text, out var latency))
                    {
                        fault.Latency = latency;
                    }
                    else if (text is not null)
                    {
                        errors.Add(value, fieldPath, $"expected a latency such as 300ms or lognormal(200ms, 800ms), got '{text}'");
                    }

                    break;
                case "status":
                    fault.Status = ReadStatus(value, fieldPath, errors, marks, key);
                    break;
                case "outcome":
                    fault.Outcome = ReadStatus(value, fieldPath, errors, marks, key);
                    break;
                case "abort":
                    fault.Abort = YamlErrors.Bool(value, fieldPath, errors) ?? false;
                    break;
                case "hang":
                    fault.Hang = YamlErrors.Duration(value, fieldPath, errors);
                    break;
                default:
                    if (ignoredKeys?.Contains(key) != true)
                    {
                        errors.Add(keyNode, fieldPath, $"unknown fault kind or field '{key}' (expected name, rate, match, window and one of {FaultConstants.KindList})");
                    }

                    break;
            }
        }

        // Report only what the reader could not already: a field that failed to parse was reported where it stood.
        var readErrors = errors.Errors.Skip(firstError).ToList();
        bool Reported(string field) => readErrors.Any(e => e.Contains($": {path}.{field}", StringComparison.Ordinal));
        fault.Validate((field, message) =>
        {
            var root = field.Split('.')[0];
            if (field == "kind" ? FaultConstants.Kinds.Any(Reported) : Reported(root))
            {
                return;
            }

            var mark = marks.TryGetValue(field, out var m) ? m : marks.TryGetValue(root, out m) ? m : mapping.Start;
            errors.Add(mark, $"{path}.{field}", message);
        });
        return fault;
    }

    private static FaultMatch? ReadMatch(YamlNode node, string path, YamlErrors errors, Dictionary<string, Mark> marks)
    {
        if (YamlErrors.Mapping(node, path, errors, "a mapping with path and/or method") is not { } mapping)
        {
            return null;
        }

        var match = new FaultMatch();
        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            marks["match." + key] = value.Start;
            switch (key)
            {
                case "path":
                    match.Path = YamlErrors.Scalar(value, $"{path}.path", errors, "a path prefix");
                    break;
                case "method":
                    match.Method = YamlErrors.Scalar(value, $"{path}.method", errors, "an HTTP method");
                    break;
                default:
                    errors.Add(keyNode, $"{path}.{key}", "unknown field (expected path or method)");
                    break;
            }
        }

        return match;
    }

    private static FaultTimeWindow? ReadWindow(YamlNode node, string path, YamlErrors errors, Dictionary<string, Mark> marks)
    {
        if (YamlErrors.Mapping(node, path, errors, "a mapping with after and/or for") is not { } mapping)
        {
            return null;
        }

        var window = new FaultTimeWindow();
        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            marks["window." + key] = value.Start;
            switch (key)
            {
                case "after":
                    window.After = YamlErrors.Duration(value, $"{path}.after", errors) ?? TimeSpan.Zero;
                    break;
                case "for":
                    window.For = YamlErrors.Duration(value, $"{path}.for", errors);
                    break;
                default:
                    errors.Add(keyNode, $"{path}.{key}", "unknown field (expected after or for)");
                    break;
            }
        }

        return window;
    }

    private static StatusResponse? ReadStatus(YamlNode node, string path, YamlErrors errors, Dictionary<string, Mark> marks, string prefix)
    {
        // "status: 503" is short for "status: { code: 503 }".
        if (node is YamlScalarNode)
        {
            var code = YamlErrors.Number(node, path, errors, "a status code or a mapping with code and body");
            marks[prefix + ".code"] = node.Start;
            return code is null ? null : new StatusResponse { Code = (int)code.Value };
        }

        if (YamlErrors.Mapping(node, path, errors, "a mapping with code and body") is not { } mapping)
        {
            return null;
        }

        var status = new StatusResponse();
        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            marks[$"{prefix}.{key}"] = value.Start;
            switch (key)
            {
                case "code":
                    var number = YamlErrors.Number(value, $"{path}.code", errors, "a status code between 100 and 599");
                    status.Code = number is { } n && n == Math.Floor(n) && Math.Abs(n) < 100_000 ? (int)n : number is null ? 0 : -1;
                    break;
                case "body":
                    status.Body = YamlErrors.Scalar(value, $"{path}.body", errors, "a string") ?? "";
                    break;
                case "content_type":
                    status.ContentType = YamlErrors.Scalar(value, $"{path}.content_type", errors, "a media type");
                    break;
                default:
                    errors.Add(keyNode, $"{path}.{key}", "unknown field (expected code, body or content_type)");
                    break;
            }
        }

        if (!marks.ContainsKey(prefix + ".code"))
        {
            marks[prefix + ".code"] = mapping.Start;
        }

        return status;
    }
}
