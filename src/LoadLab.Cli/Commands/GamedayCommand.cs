using System.Collections;
using System.CommandLine;
using System.Runtime.InteropServices;
using LoadLab.Chaos.Faults;
using LoadLab.Chaos.GameDays;
using LoadLab.Chaos.Proxy;
using LoadLab.Cli.Sinks;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Results;
using LoadLab.Telemetry;

namespace LoadLab.Cli.Commands;

/// <summary>
/// <c>loadlab gameday GAMEDAY.yaml</c>: load, a steady-state hypothesis checked before, during and after a
/// timeline of faults, rollbacks that always run, and a journal. Exits 0 when the hypothesis held, 4 when it
/// did not, 3 on Ctrl+C, 2 for a bad file.
/// </summary>
internal sealed class GamedayCommand : BaseCommand
{
    private static readonly Argument<string> s_profile = new("gameday") { Description = "The game-day YAML file: a profile plus gameday:, hypothesis: and method: (see docs/chaos.md)." };
    private static readonly Option<string[]> s_set = ProfileArguments.Set();
    private static readonly Option<string?> s_release = ProfileArguments.Release();
    private static readonly Option<string?> s_environment = ProfileArguments.EnvironmentOption();
    private static readonly Option<string[]> s_out = ProfileArguments.Out();
    private static readonly Option<string?> s_results = new("--results") { Description = "The results folder (default: results/, or LOADLAB_RESULTS)." };

    private readonly ScenarioCatalog _catalog;
    private readonly SinkRegistry _sinks;

    public GamedayCommand(ScenarioCatalog catalog, SinkRegistry sinks)
        : base("gameday", "Run a chaos game day: load, a steady-state hypothesis, a timeline of faults that is always rolled back, and a journal.")
    {
        _catalog = catalog;
        _sinks = sinks;
        Arguments.Add(s_profile);
        Options.Add(s_set);
        Options.Add(s_release);
        Options.Add(s_environment);
        Options.Add(s_out);
        Options.Add(s_results);
    }

    protected override bool IsUserError(Exception e) => base.IsUserError(e) || e is FaultSpecException or ChaosProxyException;

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var profile = ProfileArguments.Load(_catalog, parseResult.GetValue(s_profile)!, parseResult.GetValue(s_set), parseResult.GetValue(s_release), parseResult.GetValue(s_environment));
        var outputs = ProfileArguments.MergeOutputs(profile.Outputs, ProfileArguments.ParseOuts(parseResult.GetValue(s_out)));
        var spec = GameDayFile.Read(profile);
        var results = parseResult.GetValue(s_results) ?? System.Environment.GetEnvironmentVariable("LOADLAB_RESULTS") ?? profile.Results ?? "results";
        var environment = System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var run = new RunOptions
        {
            // The outputs `loadlab run` would create, so a game day's load is on the dashboards too.
            Sinks = _sinks.Create(outputs, environment),
            Profile = profile.Name,
            Labels = new Dictionary<string, string>(profile.Labels, StringComparer.Ordinal),
            Scenarios = profile.Scenarios,
            Seed = profile.Seed,
            RunIdLabel = profile.RunIdLabel,
        };
        var directory = Path.Combine(results, run.RunId);
        var output = Out(parseResult);

        // Ctrl+C and SIGTERM end the day early; the runner still rolls every fault back and writes the journal.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; interrupt.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; interrupt.Cancel(); });
        await output.WriteLineAsync($"game day '{spec.Name}': {spec.Probes.Count} probe(s), {spec.Method.Count} fault action(s) over {FaultDuration.Format(spec.MethodLength)}, recovery within {FaultDuration.Format(spec.Recovery)}");
        var outcome = await GameDayRunner.RunAsync(
            new GameDayRunOptions
            {
                Spec = spec,
                Run = run,
                JournalDirectory = directory,
                Log = output,
                Environment = environment,
            },
            interrupt.Token);
        var path = ResultFile.Write(outcome.Result, directory);
        await output.WriteLineAsync($"verdict: {outcome.Journal.Verdict}" + (outcome.Journal.AbortReason is { } reason ? $" ({reason})" : ""));
        await output.WriteLineAsync(Path.GetFullPath(Path.Combine(directory, "journal.md")));
        await output.WriteLineAsync(Path.GetFullPath(path));
        return outcome.ExitCode;
    }
}
