using LoadLab.Engine.Scenarios;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Engine.Configuration;

/// <summary>A loaded, merged and validated profile.</summary>
public sealed class Profile
{
    /// <summary>Gets or sets the profile name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the path it was read from.</summary>
    public string Path { get; set; } = "";

    /// <summary>Gets or sets the run labels (service, environment, release, ...).</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the targets by name.</summary>
    public Dictionary<string, Uri> Targets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the run seed.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets a value indicating whether series carry run_id.</summary>
    public bool RunIdLabel { get; set; } = true;

    /// <summary>Gets or sets the results folder.</summary>
    public string? Results { get; set; }

    /// <summary>Gets or sets the scenarios.</summary>
    public List<ScenarioProps> Scenarios { get; set; } = [];

    /// <summary>Gets or sets the outputs (telemetry sinks).</summary>
    public List<OutputSpec> Outputs { get; set; } = [];

    /// <summary>Gets or sets the raw <c>faults:</c> node, for the chaos layer.</summary>
    public YamlNode? Faults { get; set; }

    /// <summary>Gets or sets the whole document (for sections other layers read, such as game days).</summary>
    public YamlMappingNode? Document { get; set; }
}

/// <summary>An output from <c>--out name=arg</c> or the profile's <c>outputs:</c>.</summary>
/// <param name="Name">The sink name.</param>
/// <param name="Argument">The argument after '=' (or the url/endpoint/address setting).</param>
/// <param name="Configuration">Other settings.</param>
/// <param name="Location">Where it was given, for errors.</param>
public sealed record OutputSpec(string Name, string? Argument, IReadOnlyDictionary<string, string> Configuration, string Location);

/// <summary>What overrides the profile file: environment variables, then flags.</summary>
public sealed class ProfileOverrides
{
    /// <summary>Gets or sets <c>--set KEY=VALUE</c> flags, in order.</summary>
    public IReadOnlyList<string> Sets { get; set; } = [];

    /// <summary>Gets or sets <c>--release</c>.</summary>
    public string? Release { get; set; }

    /// <summary>Gets or sets <c>--environment</c>.</summary>
    public string? Environment { get; set; }

    /// <summary>Gets or sets the environment variables (LOADLAB_*).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; set; } = new Dictionary<string, string>();
}
