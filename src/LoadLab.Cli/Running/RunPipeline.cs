using System.Diagnostics;
using System.Runtime.InteropServices;
using LoadLab.Cli.Commands;
using LoadLab.Cli.Console;
using LoadLab.Cli.Sinks;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Engine.Segments;
using LoadLab.Results;
using LoadLab.Telemetry;

namespace LoadLab.Cli.Running;

/// <summary>What <c>run</c> and <c>demo</c> share: sinks from outputs, the engine, signals, the result and reports.</summary>
internal sealed class RunPipeline(SinkRegistry sinks)
{
    public sealed record Request(
        Profile Profile,
        string ResultsDirectory,
        IReadOnlyList<OutputSpec> ExtraOutputs,
        Segment Segment,
        string? RunId,
        bool StrictTelemetry,
        TextWriter Out,
        TextWriter Error);

    public async Task<(int ExitCode, RunResult? Result, string? Path)> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        var outputs = ProfileArguments.MergeOutputs(profile.Outputs, request.ExtraOutputs);
        var environment = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var created = sinks.Create(outputs, environment);
        var runId = request.RunId ?? RunOptions.NewRunId(TimeProvider.System);
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Ctrl+C and SIGTERM stop the load; the engine then returns the partial result, which is written like any other.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; interrupt.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; interrupt.Cancel(); });

        var options = new RunOptions
        {
            RunId = runId,
            Profile = profile.Name,
            Labels = new Dictionary<string, string>(profile.Labels, StringComparer.Ordinal),
            Scenarios = profile.Scenarios,
            Sinks = created,
            Segment = request.Segment,
            Seed = profile.Seed,
            RunIdLabel = profile.RunIdLabel,
            GitCommit = GitCommit(),
        };
        using var live = new LiveProgress(request.Out, ConsoleTheme.IsInteractive(request.Out));
        options.Observer = live;
        live.Start(profile, runId, request.Segment);

        RunResult result;
        try
        {
            result = await LoadEngine.RunAsync(options, interrupt.Token);
        }
        finally
        {
            live.Stop();
        }

        var directory = Path.Combine(request.ResultsDirectory, runId);
        var path = ResultFile.Write(result, directory);
        try
        {
            Reports.ReportWriter.WriteAll(result, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            await request.Error.WriteLineAsync($"warning: the reports could not be written: {e.Message}");
        }

        SummaryPrinter.Print(result, request.Out);
        var exit = ExitCodeOf(result, request.StrictTelemetry);
        await request.Out.WriteLineAsync(Path.GetFullPath(path));
        return (exit, result, path);
    }

    internal static int ExitCodeOf(RunResult result, bool strictTelemetry)
    {
        var code = result.Status switch
        {
            RunStatus.Passed => ExitCodes.Success,
            RunStatus.Aborted or RunStatus.Interrupted => ExitCodes.Aborted,
            // A failed run with every threshold holding failed for another reason: a scenario's init or clean threw.
            _ => result.Thresholds.Any(t => !t.Passed) ? ExitCodes.Failed : ExitCodes.InternalError,
        };
        if (code == ExitCodes.Success && strictTelemetry && result.Telemetry.Sinks.Any(s => !s.Delivered))
        {
            return ExitCodes.TelemetryFailed;
        }

        return code;
    }

    private static string? GitCommit()
    {
        foreach (var name in new[] { "LOADLAB_GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "GIT_COMMIT" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } sha)
            {
                return sha;
            }
        }

        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null)
            {
                return null;
            }

            var sha = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(2000) && git.ExitCode == 0 && sha.Length >= 7 ? sha : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
