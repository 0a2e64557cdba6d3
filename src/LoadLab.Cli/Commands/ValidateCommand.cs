using System.CommandLine;
using LoadLab.Engine.Configuration;

namespace LoadLab.Cli.Commands;

/// <summary><c>loadlab validate PROFILE.yaml</c>: checks a profile without running it.</summary>
internal sealed class ValidateCommand : BaseCommand
{
    private static readonly Argument<string> s_profile = ProfileArguments.Profile();
    private static readonly Option<string[]> s_set = ProfileArguments.Set();

    private readonly ScenarioCatalog _catalog;

    public ValidateCommand(ScenarioCatalog catalog)
        : base("validate", "Check a profile (after env and --set overrides) and print what it would run.")
    {
        _catalog = catalog;
        Arguments.Add(s_profile);
        Options.Add(s_set);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var profile = ProfileArguments.Load(_catalog, parseResult.GetValue(s_profile)!, parseResult.GetValue(s_set), null, null);
        var output = Out(parseResult);
        await output.WriteLineAsync($"Profile '{profile.Name}' is valid: {profile.Scenarios.Count} scenario(s).");
        foreach (var s in profile.Scenarios)
        {
            var planned = s.Simulations.All(x => x.Duration is not null) ? DurationParser.Format(TimeSpan.FromSeconds(s.Simulations.Sum(x => x.Duration!.Value.TotalSeconds))) : "until its iterations are done";
            await output.WriteLineAsync($"  {s.Name}: {string.Join(" -> ", s.Simulations.Select(x => x.Kind))} ({planned}); {s.Thresholds.Count} threshold(s)" +
                (s.WarmUp > TimeSpan.Zero ? $"; warm-up {DurationParser.Format(s.WarmUp)}" : "") + (s.MaxConcurrency > 0 ? $"; max_concurrency {s.MaxConcurrency}" : ""));
        }

        foreach (var o in profile.Outputs)
        {
            await output.WriteLineAsync($"  output {o.Name}{(o.Argument is null ? "" : " -> " + o.Argument)}");
        }

        return ExitCodes.Success;
    }
}
