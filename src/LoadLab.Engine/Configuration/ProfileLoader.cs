using System.Globalization;
using System.Runtime.CompilerServices;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Simulations;
using LoadLab.Engine.Thresholds;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Engine.Configuration;

/// <summary>
/// Reads a profile: defaults, then the YAML file, then LOADLAB_* environment variables, then flags
/// (k6's precedence). Validation runs once, after the merge, and reports every problem at once with
/// its file, line and column (or the flag or variable it came from).
/// </summary>
public sealed class ProfileLoader
{
    private static readonly string[] s_rootKeys = ["name", "labels", "targets", "seed", "run_id_label", "results", "scenarios", "outputs", "faults", "gameday", "hypothesis", "method", "description"];
    private static readonly string[] s_scenarioKeys = ["name", "settings", "warm_up", "max_concurrency", "pacing", "graceful_stop", "seed", "load", "thresholds"];
    private static readonly string[] s_loadKinds = ["inject", "ramping_inject", "inject_random", "iterations_for_inject", "keep_constant", "ramping_constant", "iterations_for_constant", "pause"];

    private readonly ScenarioCatalog _catalog;
    private readonly ConditionalWeakTable<YamlNode, string> _origins = new();
    private readonly List<ConfigError> _errors = [];
    private string _file = "";

    /// <summary>Initializes a new instance of the <see cref="ProfileLoader"/> class.</summary>
    /// <param name="catalog">The scenarios profiles may name.</param>
    public ProfileLoader(ScenarioCatalog catalog)
    {
        _catalog = catalog;
    }

    /// <summary>Loads a profile file.</summary>
    /// <param name="path">The YAML file.</param>
    /// <param name="overrides">Environment variables and flags.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ConfigurationException">The file is missing, does not parse, or is invalid.</exception>
    public Profile Load(string path, ProfileOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(overrides);
        _file = path;
        if (!File.Exists(path))
        {
            throw new ConfigurationException(path, [new ConfigError(path, "", Directory.Exists(path) ? "is a folder; expected a profile YAML file" : "does not exist; expected a profile YAML file")]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, [new ConfigError(path, "", $"cannot be read: {e.Message}")]);
        }

        return LoadText(text, path, overrides);
    }

    /// <summary>Loads a profile from text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="sourceName">The name used in error messages.</param>
    /// <param name="overrides">Environment variables and flags.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ConfigurationException">The text does not parse or is invalid.</exception>
    public Profile LoadText(string yaml, string sourceName, ProfileOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        _file = sourceName;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml ?? ""));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw new ConfigurationException(sourceName, [new ConfigError($"{sourceName}:{e.Start.Line}:{e.Start.Column}", "", $"is not valid YAML: {Clean(inner)}")]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException(sourceName, [new ConfigError(sourceName, "", "expected a YAML map with 'name', 'scenarios' and optional 'labels', 'targets', 'outputs'")]);
        }

        ApplyEnvironment(root, overrides);
        foreach (var set in overrides.Sets)
        {
            ApplySet(root, set, $"--set {set}");
        }

        var profile = Bind(root, sourceName);
        if (overrides.Release is { Length: > 0 } release)
        {
            profile.Labels["release"] = release;
        }

        if (overrides.Environment is { Length: > 0 } environment)
        {
            profile.Labels["environment"] = environment;
        }

        if (_errors.Count > 0)
        {
            throw new ConfigurationException(sourceName, _errors.ToList());
        }

        return profile;
    }

    private static string Clean(string message) => message.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private void ApplyEnvironment(YamlMappingNode root, ProfileOverrides overrides)
    {
        var vars = overrides.Variables;
        foreach (var (name, label) in new[] { ("LOADLAB_RELEASE", "release"), ("LOADLAB_ENVIRONMENT", "environment"), ("LOADLAB_SERVICE", "service") })
        {
            if (vars.TryGetValue(name, out var v) && v.Length > 0)
            {
                ApplySet(root, $"labels.{label}={v}", $"environment variable {name}");
            }
        }

        if (vars.TryGetValue("LOADLAB_SET", out var sets))
        {
            foreach (var set in sets.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                ApplySet(root, set, $"environment variable LOADLAB_SET ({set})");
            }
        }
    }

    /// <summary>Applies KEY=VALUE to the document; list items are found by index or by their 'name'.</summary>
    private void ApplySet(YamlMappingNode root, string set, string origin)
    {
        var eq = set.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            _errors.Add(new ConfigError(origin, "", "expected KEY=VALUE, e.g. scenarios.browse_catalog.load.0.inject.rate=200"));
            return;
        }

        var path = set[..eq].Trim().Split('.');
        var value = set[(eq + 1)..];
        YamlNode current = root;
        for (var i = 0; i < path.Length; i++)
        {
            var segment = path[i];
            var last = i == path.Length - 1;
            switch (current)
            {
                case YamlMappingNode map:
                    var key = map.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == segment);
                    if (last)
                    {
                        var scalar = new YamlScalarNode(value);
                        _origins.AddOrUpdate(scalar, origin);
                        if (key is not null)
                        {
                            map.Children[key] = scalar;
                        }
                        else
                        {
                            map.Add(segment, scalar);
                        }

                        return;
                    }

                    if (key is null)
                    {
                        var child = new YamlMappingNode();
                        _origins.AddOrUpdate(child, origin);
                        map.Add(segment, child);
                        current = child;
                    }
                    else
                    {
                        current = map.Children[key];
                    }

                    break;
                case YamlSequenceNode seq:
                    YamlNode? item = null;
                    var index = -1;
                    if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < seq.Children.Count)
                    {
                        item = seq.Children[n];
                        index = n;
                    }
                    else
                    {
                        for (var j = 0; j < seq.Children.Count; j++)
                        {
                            if (seq.Children[j] is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var nm) && (nm as YamlScalarNode)?.Value == segment)
                            {
                                item = m;
                                index = j;
                                break;
                            }
                        }
                    }

                    if (item is null)
                    {
                        _errors.Add(new ConfigError(origin, string.Join('.', path[..(i + 1)]), $"no list item '{segment}'; expected an index below {seq.Children.Count} or the name of an item"));
                        return;
                    }

                    if (last)
                    {
                        var scalar = new YamlScalarNode(value);
                        _origins.AddOrUpdate(scalar, origin);
                        seq.Children[index] = scalar;
                        return;
                    }

                    current = item;
                    break;
                default:
                    _errors.Add(new ConfigError(origin, string.Join('.', path[..i]), "is a plain value and has no fields"));
                    return;
            }
        }
    }

    private string Locate(YamlNode? node)
    {
        if (node is null)
        {
            return _file;
        }

        if (_origins.TryGetValue(node, out var origin))
        {
            return origin;
        }

        return node.Start.Line > 0 ? $"{_file}:{node.Start.Line}:{node.Start.Column}" : _file;
    }

    private void Error(YamlNode? node, string field, string message) => _errors.Add(new ConfigError(Locate(node), field, message));

    private Profile Bind(YamlMappingNode root, string sourceName)
    {
        var profile = new Profile { Path = sourceName, Name = Path.GetFileNameWithoutExtension(sourceName), Document = root };
        CheckKeys(root, "", s_rootKeys);
        if (Get(root, "name") is { } nameNode)
        {
            profile.Name = ScalarOf(nameNode, "name", "a string") ?? profile.Name;
        }

        if (Get(root, "labels") is { } labels)
        {
            foreach (var (k, v) in MapOf(labels, "labels"))
            {
                profile.Labels[k] = v.Value;
            }
        }

        if (Get(root, "targets") is { } targets)
        {
            foreach (var (k, v) in MapOf(targets, "targets"))
            {
                if (Uri.TryCreate(v.Value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    profile.Targets[k] = uri;
                }
                else
                {
                    Error(v.Node, $"targets.{k}", $"'{v.Value}' is not an http(s) URL; expected e.g. http://127.0.0.1:5080");
                }
            }
        }

        if (Get(root, "seed") is { } seedNode)
        {
            profile.Seed = IntOf(seedNode, "seed", int.MinValue, int.MaxValue) ?? profile.Seed;
        }

        if (Get(root, "run_id_label") is { } ridNode)
        {
            profile.RunIdLabel = BoolOf(ridNode, "run_id_label") ?? true;
        }

        if (Get(root, "results") is { } resultsNode)
        {
            profile.Results = ScalarOf(resultsNode, "results", "a folder path");
        }

        profile.Faults = Get(root, "faults");
        BindOutputs(root, profile);

        var scenarios = Get(root, "scenarios");
        if (scenarios is null)
        {
            Error(root, "scenarios", "is missing; expected a list of scenarios, each with 'name' and 'load'");
        }
        else if (scenarios is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            Error(scenarios, "scenarios", "expected a non-empty list of scenarios");
        }
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < seq.Children.Count; i++)
            {
                var props = BindScenario(seq.Children[i], $"scenarios[{i}]", profile);
                if (props is not null)
                {
                    if (!names.Add(props.Name))
                    {
                        Error(seq.Children[i], $"scenarios[{i}].name", $"'{props.Name}' appears twice; scenario names must be unique");
                    }

                    profile.Scenarios.Add(props);
                }
            }
        }

        return profile;
    }

    private void BindOutputs(YamlMappingNode root, Profile profile)
    {
        if (Get(root, "outputs") is not { } outputs)
        {
            return;
        }

        if (outputs is not YamlSequenceNode seq)
        {
            Error(outputs, "outputs", "expected a list, e.g. - prometheus-rw: { url: \"http://127.0.0.1:9090/api/v1/write\" }");
            return;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            var field = $"outputs[{i}]";
            if (item is YamlScalarNode s)
            {
                profile.Outputs.Add(ParseOut(s.Value ?? "", Locate(s)));
            }
            else if (item is YamlMappingNode m && m.Children.Count == 1)
            {
                var (k, v) = m.Children.First();
                var name = (k as YamlScalarNode)?.Value ?? "";
                var config = new Dictionary<string, string>(StringComparer.Ordinal);
                string? argument = null;
                if (v is YamlScalarNode vs)
                {
                    argument = vs.Value;
                }
                else if (v is YamlMappingNode vm)
                {
                    foreach (var (ck, cv) in MapOf(vm, $"{field}.{name}"))
                    {
                        config[ck] = cv.Value;
                    }

                    argument = config.GetValueOrDefault("url") ?? config.GetValueOrDefault("endpoint") ?? config.GetValueOrDefault("address");
                }

                profile.Outputs.Add(new OutputSpec(name, string.IsNullOrEmpty(argument) ? null : argument, config, Locate(item)));
            }
            else
            {
                Error(item, field, "expected 'name' or 'name: { settings }'");
            }
        }
    }

    /// <summary>Parses <c>--out name[=arg]</c>.</summary>
    /// <param name="text">The flag value.</param>
    /// <param name="location">Where it came from.</param>
    /// <returns>The output.</returns>
    public static OutputSpec ParseOut(string text, string location)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq < 0
            ? new OutputSpec(text.Trim(), null, new Dictionary<string, string>(), location)
            : new OutputSpec(text[..eq].Trim(), text[(eq + 1)..].Trim(), new Dictionary<string, string>(), location);
    }

    private ScenarioProps? BindScenario(YamlNode node, string field, Profile profile)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, field, "expected a map with 'name' and 'load'");
            return null;
        }

        CheckKeys(map, field, s_scenarioKeys);
        var name = Get(map, "name") is { } n ? ScalarOf(n, $"{field}.name", "a scenario name") : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            Error(map, $"{field}.name", "is missing; expected the name of a scenario (see 'loadlab list')");
            return null;
        }

        if (!_catalog.TryGet(name, out var factory))
        {
            var known = string.Join(", ", _catalog.All.Select(f => f.Name));
            Error(Get(map, "name"), $"{field}.name", $"unknown scenario '{name}'; expected one of: {known}");
            return null;
        }

        var settingsNode = Get(map, "settings");
        if (settingsNode is not null and not YamlMappingNode)
        {
            Error(settingsNode, $"{field}.settings", "expected a map of settings");
        }

        var settings = new ScenarioSettings(settingsNode as YamlMappingNode, $"{field}.settings", Locate);
        var seed = Get(map, "seed") is { } seedNode ? IntOf(seedNode, $"{field}.seed", int.MinValue, int.MaxValue) : null;
        ScenarioProps props;
        try
        {
            props = factory.Create(settings, new ScenarioFactoryContext(name, profile.Targets, seed ?? profile.Seed, settings));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Error(settingsNode ?? map, $"{field}.settings", e.Message);
            return null;
        }

        _errors.AddRange(settings.AllErrors);
        foreach (var unknown in settings.UnreadKeys)
        {
            var known = string.Join(", ", factory.Settings.Select(s => s.Name));
            settings.AddError(unknown, $"unknown setting of '{name}'; expected one of: {(known.Length == 0 ? "(none)" : known)}");
            _errors.Add(settings.Errors[^1]);
        }

        props = props with { Name = name, Seed = seed ?? props.Seed };
        if (Get(map, "warm_up") is { } w)
        {
            props = props with { WarmUp = DurationOf(w, $"{field}.warm_up") ?? TimeSpan.Zero };
        }

        if (Get(map, "max_concurrency") is { } mc)
        {
            props = props with { MaxConcurrency = IntOf(mc, $"{field}.max_concurrency", 0, 1_000_000) ?? 0 };
        }

        if (Get(map, "pacing") is { } p)
        {
            props = props with { Pacing = DurationOf(p, $"{field}.pacing") ?? TimeSpan.Zero };
        }

        if (Get(map, "graceful_stop") is { } gs)
        {
            props = props with { GracefulStop = DurationOf(gs, $"{field}.graceful_stop") ?? props.GracefulStop };
        }

        var load = Get(map, "load");
        if (load is null)
        {
            Error(map, $"{field}.load", "is missing; expected a list of load simulations, e.g. - inject: { rate: 100, interval: 1s, during: 60s }");
        }
        else if (load is not YamlSequenceNode loadSeq || loadSeq.Children.Count == 0)
        {
            Error(load, $"{field}.load", "expected a non-empty list of load simulations");
        }
        else
        {
            var sims = new List<LoadSimulation>();
            for (var i = 0; i < loadSeq.Children.Count; i++)
            {
                if (BindSimulation(loadSeq.Children[i], $"{field}.load[{i}]") is { } sim)
                {
                    sims.Add(sim);
                }
            }

            props = props with { Simulations = sims };
        }

        if (Get(map, "thresholds") is { } th)
        {
            props = props with { Thresholds = BindThresholds(th, $"{field}.thresholds") };
        }

        return props;
    }

    private LoadSimulation? BindSimulation(YamlNode node, string field)
    {
        if (node is not YamlMappingNode map || map.Children.Count != 1 || map.Children.First().Key is not YamlScalarNode kindNode)
        {
            Error(node, field, $"expected one simulation such as '- inject: {{ rate: 100, interval: 1s, during: 60s }}'; kinds: {string.Join(", ", s_loadKinds)}");
            return null;
        }

        var kind = kindNode.Value ?? "";
        var body = map.Children.First().Value as YamlMappingNode;
        var f = $"{field}.{kind}";
        if (!s_loadKinds.Contains(kind))
        {
            Error(kindNode, field, $"unknown load simulation '{kind}'; expected one of: {string.Join(", ", s_loadKinds)}");
            return null;
        }

        if (body is null)
        {
            Error(map.Children.First().Value, f, "expected a map of parameters");
            return null;
        }

        var errorsBefore = _errors.Count;
        double Num(string key) => Get(body, key) is { } v ? NumberOf(v, $"{f}.{key}") ?? double.NaN : Missing(key);
        TimeSpan Dur(string key, TimeSpan? def = null) => Get(body, key) is { } v ? DurationOf(v, $"{f}.{key}") ?? TimeSpan.Zero : def ?? MissingDuration(key);
        double Missing(string key)
        {
            Error(body, $"{f}.{key}", "is missing");
            return double.NaN;
        }

        TimeSpan MissingDuration(string key)
        {
            Error(body, $"{f}.{key}", "is missing; expected a duration such as 30s");
            return TimeSpan.Zero;
        }

        string[] keys = kind switch
        {
            "inject" or "ramping_inject" => ["rate", "interval", "during"],
            "inject_random" => ["min_rate", "max_rate", "interval", "during"],
            "iterations_for_inject" => ["rate", "interval", "iterations"],
            "keep_constant" or "ramping_constant" => ["copies", "during"],
            "iterations_for_constant" => ["copies", "iterations"],
            _ => ["during"],
        };
        CheckKeys(body, f, keys);
        var oneSecond = TimeSpan.FromSeconds(1);
        LoadSimulation sim = kind switch
        {
            "inject" => new Inject(Num("rate"), Dur("interval", oneSecond), Dur("during")),
            "ramping_inject" => new RampingInject(Num("rate"), Dur("interval", oneSecond), Dur("during")),
            "inject_random" => new InjectRandom(Num("min_rate"), Num("max_rate"), Dur("interval", oneSecond), Dur("during")),
            "iterations_for_inject" => new IterationsForInject(Num("rate"), Dur("interval", oneSecond), (long)Num("iterations")),
            "keep_constant" => new KeepConstant((int)Num("copies"), Dur("during")),
            "ramping_constant" => new RampingConstant((int)Num("copies"), Dur("during")),
            "iterations_for_constant" => new IterationsForConstant((int)Num("copies"), (long)Num("iterations")),
            _ => new Pause(Dur("during")),
        };
        if (_errors.Count > errorsBefore)
        {
            return null;
        }

        foreach (var e in sim.Validate())
        {
            var key = e.Split('\'') is { Length: > 2 } parts ? parts[1] : "";
            Error(Get(body, key) ?? body, string.IsNullOrEmpty(key) ? f : $"{f}.{key}", e.Split(' ', 2)[1]);
        }

        return sim;
    }

    private List<ThresholdSpec> BindThresholds(YamlNode node, string field)
    {
        var result = new List<ThresholdSpec>();
        if (node is not YamlSequenceNode seq)
        {
            Error(node, field, "expected a list of thresholds, e.g. - \"p95(response_time) < 300ms\"");
            return result;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            var f = $"{field}[{i}]";
            YamlNode exprNode = item;
            YamlMappingNode? options = null;
            if (item is YamlMappingNode m)
            {
                CheckKeys(m, f, ["expr", "window", "abort", "after"]);
                options = m;
                if (Get(m, "expr") is not { } e)
                {
                    Error(m, $"{f}.expr", "is missing; expected an expression such as \"error_rate < 1%\"");
                    continue;
                }

                exprNode = e;
            }

            var text = ScalarOf(exprNode, f, "a threshold expression");
            if (text is null)
            {
                continue;
            }

            try
            {
                var spec = ThresholdSpec.Parse(text);
                if (options is not null)
                {
                    spec = spec with
                    {
                        Window = Get(options, "window") is { } w ? DurationOf(w, $"{f}.window") : null,
                        Abort = Get(options, "abort") is { } a && (BoolOf(a, $"{f}.abort") ?? false),
                        After = Get(options, "after") is { } af ? DurationOf(af, $"{f}.after") ?? TimeSpan.Zero : TimeSpan.Zero,
                    };
                    if (spec.Window is { } win && (spec.Parsed.Step is not null || spec.Parsed.Metric is ThresholdMetric.BusinessCount or ThresholdMetric.BusinessShare))
                    {
                        Error(exprNode, f, "windowed thresholds judge whole iterations; step and business thresholds need the whole run (remove 'window')");
                    }
                    else if (spec.Window is { } w2 && w2 < TimeSpan.FromSeconds(1))
                    {
                        Error(Get(options, "window"), $"{f}.window", "must be at least 1s");
                    }
                }

                result.Add(spec);
            }
            catch (FormatException e)
            {
                Error(exprNode, f, e.Message);
            }
        }

        return result;
    }

    private void CheckKeys(YamlMappingNode map, string field, string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var k = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(k))
            {
                Error(key, string.IsNullOrEmpty(field) ? k : $"{field}.{k}", $"unknown field '{k}'; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }

    private static YamlNode? Get(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    private string? ScalarOf(YamlNode node, string field, string expected)
    {
        if (node is YamlScalarNode s)
        {
            return s.Value;
        }

        Error(node, field, $"expected {expected}, got a {(node is YamlMappingNode ? "map" : "list")}");
        return null;
    }

    private List<(string Key, (string Value, YamlNode Node) Item)> MapOf(YamlNode node, string field)
    {
        var result = new List<(string, (string, YamlNode))>();
        if (node is not YamlMappingNode map)
        {
            Error(node, field, "expected a map of names to values");
            return result;
        }

        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode s)
            {
                result.Add((key, (s.Value ?? "", v)));
            }
            else
            {
                Error(v, $"{field}.{key}", "expected a plain value");
            }
        }

        return result;
    }

    private double? NumberOf(YamlNode node, string field)
    {
        var s = ScalarOf(node, field, "a number");
        if (s is null)
        {
            return null;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            return v;
        }

        Error(node, field, $"expected a number, got '{s}'");
        return null;
    }

    private int? IntOf(YamlNode node, string field, int min, int max)
    {
        var s = ScalarOf(node, field, "a whole number");
        if (s is null)
        {
            return null;
        }

        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
        {
            return v;
        }

        Error(node, field, $"expected a whole number{(min == 0 ? " of 0 or more" : "")}, got '{s}'");
        return null;
    }

    private bool? BoolOf(YamlNode node, string field)
    {
        var s = ScalarOf(node, field, "true or false");
        if (s is null)
        {
            return null;
        }

        if (bool.TryParse(s, out var b))
        {
            return b;
        }

        Error(node, field, $"expected true or false, got '{s}'");
        return null;
    }

    private TimeSpan? DurationOf(YamlNode node, string field)
    {
        var s = ScalarOf(node, field, "a duration");
        if (s is null)
        {
            return null;
        }

        if (DurationParser.TryParse(s, out var d))
        {
            return d;
        }

        Error(node, field, $"'{s}' is not a duration; expected a number with ms, s, m or h, e.g. 500ms, 30s, 2m");
        return null;
    }
}
