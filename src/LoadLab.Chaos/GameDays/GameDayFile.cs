using System.Globalization;
using LoadLab.Chaos.Faults;
using LoadLab.Chaos.Proxy;
using LoadLab.Engine.Configuration;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Chaos.GameDays;

/// <summary>
/// Reads the game-day sections of a profile (<c>gameday:</c>, <c>hypothesis:</c>, <c>method:</c>; see docs/chaos.md).
/// The load itself is the profile's <c>scenarios:</c>, read by the engine's <see cref="ProfileLoader"/>.
/// </summary>
public static class GameDayFile
{
    private static readonly HashSet<string> s_actionKeys = new(StringComparer.Ordinal) { "at", "for", "target" };
    private static readonly string[] s_statistics = ["error_rate", "p95", "rps"];

    /// <summary>Reads the game day of a loaded profile.</summary>
    /// <param name="profile">The profile (its <see cref="Profile.Document"/> holds the game-day sections).</param>
    /// <returns>The game day.</returns>
    /// <exception cref="FaultSpecException">A section is missing or invalid; every error is listed with file:line:column.</exception>
    public static GameDaySpec Read(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var source = string.IsNullOrEmpty(profile.Path) ? profile.Name : profile.Path;
        var errors = new YamlErrors(source);
        var spec = new GameDaySpec { Name = profile.Name };
        var root = profile.Document;
        if (root is null)
        {
            throw new FaultSpecException($"The game day '{source}' has no document.");
        }

        var scenarios = profile.Scenarios.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        YamlNode? gameday = null, hypothesis = null, method = null;
        foreach (var (key, _, value) in YamlErrors.Entries(root))
        {
            switch (key)
            {
                case "gameday":
                    gameday = value;
                    break;
                case "hypothesis":
                    hypothesis = value;
                    break;
                case "method":
                    method = value;
                    break;
                default:
                    break;
            }
        }

        if (gameday is null)
        {
            errors.Add(root, "gameday", "expected a 'gameday:' section with targets (the proxies faults go to)");
        }
        else
        {
            ReadSettings(gameday, spec, errors);
        }

        if (hypothesis is null)
        {
            errors.Add(root, "hypothesis", "expected a 'hypothesis:' section with probes");
        }
        else
        {
            ReadHypothesis(hypothesis, spec, errors, scenarios);
        }

        if (method is null)
        {
            errors.Add(root, "method", "expected a 'method:' list of fault actions (at, for, target and a fault)");
        }
        else
        {
            ReadMethod(method, spec, errors);
        }

        errors.ThrowIfAny("game day");
        return spec;
    }

    private static void ReadSettings(YamlNode node, GameDaySpec spec, YamlErrors errors)
    {
        if (YamlErrors.Mapping(node, "gameday", errors, "a mapping with targets, steady_for, probe_interval, recovery, prometheus") is not { } mapping)
        {
            return;
        }

        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            var path = "gameday." + key;
            switch (key)
            {
                case "steady_for":
                    spec.SteadyFor = PositiveDuration(value, path, errors) ?? spec.SteadyFor;
                    break;
                case "probe_interval":
                    spec.ProbeInterval = PositiveDuration(value, path, errors) ?? spec.ProbeInterval;
                    break;
                case "recovery":
                    spec.Recovery = PositiveDuration(value, path, errors) ?? spec.Recovery;
                    break;
                case "prometheus":
                    var text = YamlErrors.Scalar(value, path, errors, "a Prometheus URL");
                    if (text is not null && ChaosProxyOptions.TryParseTarget(text, out var uri, out _))
                    {
                        spec.Prometheus = uri;
                    }
                    else if (text is not null)
                    {
                        errors.Add(value, path, $"expected a Prometheus URL such as http://127.0.0.1:9090, got '{text}'");
                    }

                    break;
                case "targets":
                    ReadTargets(value, spec, errors);
                    break;
                default:
                    errors.Add(keyNode, path, "unknown field (expected targets, steady_for, probe_interval, recovery or prometheus)");
                    break;
            }
        }
    }

    private static void ReadTargets(YamlNode node, GameDaySpec spec, YamlErrors errors)
    {
        if (YamlErrors.Mapping(node, "gameday.targets", errors, "a mapping of target names to { target, listen } or { admin, token_env }") is not { } mapping)
        {
            return;
        }

        foreach (var (name, _, value) in YamlErrors.Entries(mapping))
        {
            var path = $"gameday.targets.{name}";
            if (YamlErrors.Mapping(value, path, errors, "{ target: URL, listen: host:port } for a proxy the game day starts, or { admin: URL, token_env: VAR } for a running one") is not { } fields)
            {
                continue;
            }

            var target = new FaultTargetSpec { Name = name };
            foreach (var (key, keyNode, field) in YamlErrors.Entries(fields))
            {
                var text = YamlErrors.Scalar(field, $"{path}.{key}", errors, "a string");
                switch (key)
                {
                    case "target":
                        target.Target = text;
                        if (text is not null && !ChaosProxyOptions.TryParseTarget(text, out _, out var error))
                        {
                            errors.Add(field, $"{path}.target", error!);
                        }

                        break;
                    case "listen":
                        target.Listen = text;
                        if (text is not null && !ChaosProxyOptions.TryParseListen(text, out _, out var listenError))
                        {
                            errors.Add(field, $"{path}.listen", listenError!);
                        }

                        break;
                    case "admin":
                        if (text is not null)
                        {
                            if (ChaosProxyOptions.TryParseTarget(text, out var admin, out var adminError))
                            {
                                target.Admin = admin;
                            }
                            else
                            {
                                errors.Add(field, $"{path}.admin", adminError!);
                            }
                        }

                        break;
                    case "token_env":
                        target.TokenEnv = text;
                        break;
                    default:
                        errors.Add(keyNode, $"{path}.{key}", "unknown field (expected target and listen, or admin and token_env)");
                        break;
                }
            }

            if ((target.Target is null) == (target.Admin is null))
            {
                errors.Add(value, path, "expected either 'target' (a proxy the game day starts) or 'admin' (a running proxy's admin URL)");
            }

            spec.Targets.Add(target);
        }
    }

    private static void ReadHypothesis(YamlNode node, GameDaySpec spec, YamlErrors errors, HashSet<string> scenarios)
    {
        if (YamlErrors.Mapping(node, "hypothesis", errors, "a mapping with description and probes") is not { } mapping)
        {
            return;
        }

        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            switch (key)
            {
                case "description" or "title":
                    spec.Hypothesis = YamlErrors.Scalar(value, "hypothesis." + key, errors, "a sentence") ?? "";
                    break;
                case "probes":
                    if (value is not YamlSequenceNode list || list.Children.Count == 0)
                    {
                        errors.Add(value, "hypothesis.probes", "expected a non-empty list of probes (http, stat or promql)");
                        break;
                    }

                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        if (ReadProbe(list.Children[i], $"hypothesis.probes[{i}]", errors, scenarios) is { } probe)
                        {
                            spec.Probes.Add(probe);
                        }
                    }

                    break;
                default:
                    errors.Add(keyNode, "hypothesis." + key, "unknown field (expected description and probes)");
                    break;
            }
        }

        if (!mapping.Children.ContainsKey(new YamlScalarNode("probes")))
        {
            errors.Add(mapping, "hypothesis.probes", "expected a non-empty list of probes (http, stat or promql)");
        }
    }

    private static ProbeSpec? ReadProbe(YamlNode node, string path, YamlErrors errors, HashSet<string> scenarios)
    {
        if (YamlErrors.Mapping(node, path, errors, "a probe: { name, http: URL, status } or { name, stat, scenario, window, max } or { name, promql, max }") is not { } mapping)
        {
            return null;
        }

        var probe = new ProbeSpec();
        var kinds = 0;
        foreach (var (key, keyNode, value) in YamlErrors.Entries(mapping))
        {
            var fieldPath = $"{path}.{key}";
            switch (key)
            {
                case "name":
                    probe.Name = YamlErrors.Scalar(value, fieldPath, errors, "a probe name") ?? "";
                    break;
                case "http":
                    kinds++;
                    probe.Kind = ProbeKind.Http;
                    var url = YamlErrors.Scalar(value, fieldPath, errors, "a URL");
                    if (url is not null && ChaosProxyOptions.TryParseTarget(url, out var uri, out _))
                    {
                        probe.Url = uri;
                    }
                    else if (url is not null)
                    {
                        errors.Add(value, fieldPath, $"expected an absolute http:// URL, got '{url}'");
                    }

                    break;
                case "status":
                    probe.ExpectStatus = (int)(YamlErrors.Number(value, fieldPath, errors, "a status code") ?? 200);
                    break;
                case "stat":
                    kinds++;
                    probe.Kind = ProbeKind.Statistic;
                    probe.Statistic = YamlErrors.Scalar(value, fieldPath, errors, "a statistic") ?? "";
                    if (probe.Statistic.Length > 0 && !s_statistics.Contains(probe.Statistic))
                    {
                        errors.Add(value, fieldPath, $"expected one of {string.Join(", ", s_statistics)}, got '{probe.Statistic}'");
                    }

                    break;
                case "scenario":
                    probe.Scenario = YamlErrors.Scalar(value, fieldPath, errors, "a scenario name");
                    if (probe.Scenario is not null && !scenarios.Contains(probe.Scenario))
                    {
                        errors.Add(value, fieldPath, $"expected a scenario of this profile ({string.Join(", ", scenarios.Order(StringComparer.Ordinal))}), got '{probe.Scenario}'");
                    }

                    break;
                case "window":
                    probe.Window = PositiveDuration(value, fieldPath, errors) ?? probe.Window;
                    break;
                case "promql":
                    kinds++;
                    probe.Kind = ProbeKind.PromQl;
                    probe.Query = YamlErrors.Scalar(value, fieldPath, errors, "a PromQL query");
                    break;
                case "max" or "min":
                    var bound = Bound(value, fieldPath, errors);
                    if (key == "max")
                    {
                        probe.Max = bound;
                    }
                    else
                    {
                        probe.Min = bound;
                    }

                    break;
                default:
                    errors.Add(keyNode, fieldPath, "unknown field (expected name, http, status, stat, scenario, window, promql, max or min)");
                    break;
            }
        }

        if (probe.Name.Length == 0)
        {
            errors.Add(mapping, path + ".name", "expected a probe name");
        }

        if (kinds != 1)
        {
            errors.Add(mapping, path, $"expected exactly one of http, stat or promql, got {kinds}");
        }
        else if (probe.Kind != ProbeKind.Http && probe.Max is null && probe.Min is null)
        {
            errors.Add(mapping, path, "expected a tolerance: max and/or min");
        }

        return probe;
    }

    private static void ReadMethod(YamlNode node, GameDaySpec spec, YamlErrors errors)
    {
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            errors.Add(node, "method", "expected a non-empty list of fault actions: { at, for, target, name, rate, and one fault kind }");
            return;
        }

        var targets = spec.Targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"method[{i}]";
            var fault = FaultFile.ReadFault(list.Children[i], path, errors, s_actionKeys);
            if (fault is null || list.Children[i] is not YamlMappingNode mapping)
            {
                continue;
            }

            var action = new FaultAction { Fault = fault };
            foreach (var (key, _, value) in YamlErrors.Entries(mapping))
            {
                switch (key)
                {
                    case "at":
                        action.At = YamlErrors.Duration(value, $"{path}.at", errors) ?? TimeSpan.Zero;
                        break;
                    case "for":
                        action.For = PositiveDuration(value, $"{path}.for", errors) ?? TimeSpan.Zero;
                        break;
                    case "target":
                        action.Target = YamlErrors.Scalar(value, $"{path}.target", errors, "a target name") ?? "";
                        if (action.Target.Length > 0 && !targets.Contains(action.Target))
                        {
                            errors.Add(value, $"{path}.target", $"expected a target of gameday.targets ({string.Join(", ", targets.Order(StringComparer.Ordinal))}), got '{action.Target}'");
                        }

                        break;
                    default:
                        break;
                }
            }

            foreach (var required in new[] { "for", "target" })
            {
                if (!mapping.Children.ContainsKey(new YamlScalarNode(required)))
                {
                    errors.Add(mapping, $"{path}.{required}", required == "for" ? "expected how long the fault lasts, e.g. for: 60s" : "expected the target the fault goes to");
                }
            }

            spec.Method.Add(action);
        }

        foreach (var clash in spec.Method.GroupBy(a => (a.Target, a.Fault.Name)).Where(g => g.Count() > 1 && Overlap(g.ToList())))
        {
            errors.Add(list, "method", $"expected actions of the same fault '{clash.Key.Name}' on '{clash.Key.Target}' not to overlap in time");
        }
    }

    private static bool Overlap(List<FaultAction> actions) =>
        actions.Any(a => actions.Any(b => !ReferenceEquals(a, b) && a.At < b.At + b.For && b.At < a.At + a.For));

    private static TimeSpan? PositiveDuration(YamlNode node, string path, YamlErrors errors)
    {
        var value = YamlErrors.Duration(node, path, errors);
        if (value is { } v && v <= TimeSpan.Zero)
        {
            errors.Add(node, path, $"expected a positive duration, got {FaultDuration.Format(v)}");
            return null;
        }

        return value;
    }

    private static double? Bound(YamlNode node, string path, YamlErrors errors)
    {
        // 5% is a ratio, 800ms a latency in seconds, anything else a plain number.
        if (node is YamlScalarNode { Value: { } text } && FaultDuration.TryParse(text, out var duration))
        {
            return duration.TotalSeconds;
        }

        return YamlErrors.Number(node, path, errors, "a number, a percentage (5%) or a duration (800ms)");
    }

    internal static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
