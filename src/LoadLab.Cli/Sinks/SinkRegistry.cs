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
}
