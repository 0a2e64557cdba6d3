using System.Collections;
using System.CommandLine;
using LoadLab.Engine.Configuration;

namespace LoadLab.Cli.Commands;

/// <summary>The options that read a profile, shared by run and validate.</summary>
internal static class ProfileArguments
{
    public static Argument<string> Profile() => new("profile") { Description = "The profile YAML file (see scenarios/profiles/)." };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a profile field by its path, e.g. scenarios.browse_catalog.load.0.inject.rate=200 (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Out() => new("--out")
    {
        Description = "A telemetry output: prometheus=127.0.0.1:9464, pushgateway=URL, prometheus-rw=URL, otlp=URL (repeatable; replaces the profile's outputs of that kind).",
    };

    /// <summary>Parses the <c>--out</c> values (each error names the flag).</summary>
    public static List<OutputSpec> ParseOuts(string[]? values) =>
        (values ?? []).Select(o => ProfileLoader.ParseOut(o, $"--out {o}")).ToList();

    /// <summary>The outputs of a run: flags win over the file, so an <c>--out</c> of a kind the profile lists replaces the profile's.</summary>
    public static List<OutputSpec> MergeOutputs(IReadOnlyList<OutputSpec> profile, IReadOnlyList<OutputSpec> flags) =>
        profile.Where(o => flags.All(f => f.Name != o.Name)).Concat(flags).ToList();

    public static Option<string?> Release() => new("--release") { Description = "The release under test (labels every metric, trace and result)." };

    public static Option<string?> EnvironmentOption() => new("--environment") { Description = "The environment label (staging, ci, ...)." };

    public static Profile Load(ScenarioCatalog catalog, string path, string[]? sets, string? release, string? environment)
    {
        var variables = System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("LOADLAB_", StringComparison.Ordinal))
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        return new ProfileLoader(catalog).Load(path, new ProfileOverrides
        {
            Sets = sets ?? [],
            Release = release,
            Environment = environment,
            Variables = variables,
        });
    }
}
