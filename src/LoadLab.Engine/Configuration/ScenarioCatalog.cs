using LoadLab.Engine.Scenarios;

namespace LoadLab.Engine.Configuration;

/// <summary>Creates a named scenario from profile settings (built-ins and the scenario library).</summary>
public interface IScenarioFactory
{
    /// <summary>Gets the name profiles use.</summary>
    string Name { get; }

    /// <summary>Gets a one-line description for <c>loadlab list</c>.</summary>
    string Description { get; }

    /// <summary>Gets the settings it reads, for <c>loadlab list</c>.</summary>
    IReadOnlyList<ScenarioSetting> Settings { get; }

    /// <summary>Creates the scenario. Bad settings are reported through <paramref name="settings"/>, not thrown.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="context">Targets and seed.</param>
    /// <returns>The scenario (load simulations and thresholds come from the profile).</returns>
    ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context);
}

/// <summary>A setting a scenario reads.</summary>
/// <param name="Name">The key.</param>
/// <param name="Type">duration, number, integer, string, bool, map, ratio.</param>
/// <param name="Default">The default, as text.</param>
/// <param name="Description">What it does.</param>
public sealed record ScenarioSetting(string Name, string Type, string Default, string Description);

/// <summary>What a factory may use besides its settings.</summary>
public sealed class ScenarioFactoryContext
{
    private readonly ScenarioSettings _settings;

    /// <summary>Initializes a new instance of the <see cref="ScenarioFactoryContext"/> class.</summary>
    /// <param name="scenarioName">The scenario name.</param>
    /// <param name="targets">The profile's targets.</param>
    /// <param name="seed">The run seed.</param>
    /// <param name="settings">The settings, to report target errors at.</param>
    public ScenarioFactoryContext(string scenarioName, IReadOnlyDictionary<string, Uri> targets, int seed, ScenarioSettings settings)
    {
        ScenarioName = scenarioName;
        Targets = targets;
        Seed = seed;
        _settings = settings;
    }

    /// <summary>Gets the scenario name.</summary>
    public string ScenarioName { get; }

    /// <summary>Gets the profile's targets by name (api, payments, ...).</summary>
    public IReadOnlyDictionary<string, Uri> Targets { get; }

    /// <summary>Gets the run seed.</summary>
    public int Seed { get; }

    /// <summary>Gets a target, recording an error when the profile lacks it.</summary>
    /// <param name="name">The target name.</param>
    /// <returns>The base URI; a stand-in when missing: the error is recorded and the run will not start.</returns>
    public Uri GetTarget(string name)
    {
        if (Targets.TryGetValue(name, out var uri))
        {
            return uri;
        }

        _settings.AddError("targets", $"scenario '{ScenarioName}' needs a target named '{name}'; add it under 'targets:' (e.g. {name}: \"http://127.0.0.1:5080\")");
        return new Uri("http://127.0.0.1:9/");
    }
}

/// <summary>The scenarios a profile can name.</summary>
public sealed class ScenarioCatalog
{
    private readonly Dictionary<string, IScenarioFactory> _factories = new(StringComparer.Ordinal);

    /// <summary>Gets the factories, by name.</summary>
    public IEnumerable<IScenarioFactory> All => _factories.Values.OrderBy(f => f.Name, StringComparer.Ordinal);

    /// <summary>Adds factories; a later one with the same name replaces an earlier one.</summary>
    /// <param name="factories">The factories.</param>
    /// <returns>This catalog.</returns>
    public ScenarioCatalog Add(IEnumerable<IScenarioFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(factories);
        foreach (var f in factories)
        {
            _factories[f.Name] = f;
        }

        return this;
    }

    /// <summary>Finds a factory.</summary>
    /// <param name="name">The name.</param>
    /// <param name="factory">The factory.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string name, out IScenarioFactory factory) => _factories.TryGetValue(name, out factory!);
}
