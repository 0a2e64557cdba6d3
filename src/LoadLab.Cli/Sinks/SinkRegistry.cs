using LoadLab.Engine.Configuration;
using LoadLab.Telemetry;

namespace LoadLab.Cli.Sinks;

/// <summary>
/// Sink factories by name, selected k6-style with <c>--out name[=arg]</c> or the profile's
/// <c>outputs:</c>. The sink projects register theirs in <see cref="CliServiceCollectionExtensions"/>.
/// </summary>
internal sealed class SinkRegistry
{
    private readonly Dictionary<string, SinkFactory> _factories = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _factories.Keys;

    public SinkRegistry Register(string name, SinkFactory factory)
    {
        _factories[name] = factory;
        return this;
    }

    public bool TryGet(string name, out SinkFactory factory) => _factories.TryGetValue(name, out factory!);

    /// <summary>Creates the sinks of a run's outputs; a bad name or setting is the user's mistake, located.</summary>
    public List<ITelemetrySink> Create(IEnumerable<OutputSpec> outputs, IReadOnlyDictionary<string, string> environment)
    {
        var created = new List<ITelemetrySink>();
        foreach (var o in outputs)
        {
            if (!_factories.TryGetValue(o.Name, out var factory))
            {
                var known = _factories.Count == 0 ? "(none registered)" : string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal));
                throw new UserInputException($"{o.Location}: unknown output '{o.Name}'; expected one of: {known}");
            }

            try
            {
                created.Add(factory(new SinkCreationContext { Argument = o.Argument, Configuration = o.Configuration, Environment = environment }));
            }
            catch (SinkConfigurationException e)
            {
                throw new UserInputException($"{o.Location}: output '{o.Name}': {e.Message}", e);
            }
        }

        return created;
    }
}
