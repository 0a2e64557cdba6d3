using System.CommandLine;
using LoadLab.Cli.Running;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Segments;

namespace LoadLab.Cli.Commands;

/// <summary><c>loadlab run PROFILE.yaml</c>: runs a profile, writes result.json and the reports, exits with the verdict.</summary>
internal sealed class RunCommand : BaseCommand
{
    private static readonly Argument<string> s_profile = ProfileArguments.Profile();
    private static readonly Option<string[]> s_set = ProfileArguments.Set();
    private static readonly Option<string?> s_release = ProfileArguments.Release();
    private static readonly Option<string?> s_environment = ProfileArguments.EnvironmentOption();
    private static readonly Option<string?> s_results = new("--results") { Description = "The results folder (default: results/, or LOADLAB_RESULTS)." };
    private static readonly Option<string[]> s_out = ProfileArguments.Out();
    private static readonly Option<string?> s_segment = new("--segment") { Description = "Run the I-th of N shares of the load, e.g. 2/4." };
    private static readonly Option<string?> s_runId = new("--run-id") { Description = "The run id (all segments of a distributed run share one; default: a new id)." };
    private static readonly Option<bool> s_strictTelemetry = new("--strict-telemetry") { Description = "Exit 6 when telemetry could not be fully delivered." };

    private readonly ScenarioCatalog _catalog;
    private readonly RunPipeline _pipeline;

    public RunCommand(ScenarioCatalog catalog, Sinks.SinkRegistry sinks)
        : base("run", "Run a profile: load, measure, judge thresholds, write result.json and reports.")
    {
        _catalog = catalog;
        _pipeline = new RunPipeline(sinks);
        Arguments.Add(s_profile);
        Options.Add(s_release);
        Options.Add(s_environment);
        Options.Add(s_results);
        Options.Add(s_out);
        Options.Add(s_segment);
        Options.Add(s_set);
        Options.Add(s_runId);
        Options.Add(s_strictTelemetry);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var segmentText = parseResult.GetValue(s_segment);
        var segment = Segment.Whole;
        if (segmentText is not null && !Segment.TryParse(segmentText, out segment, out var segmentError))
        {
            throw new UserInputException($"--segment {segmentError}.");
        }

        var runId = parseResult.GetValue(s_runId);
        if (runId is not null && (runId.Length is 0 or > 100 || runId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            throw new UserInputException($"--run-id '{runId}' is not valid; expected 1-100 letters, digits, '-', '_' or '.'.");
        }

        var profile = ProfileArguments.Load(_catalog, parseResult.GetValue(s_profile)!, parseResult.GetValue(s_set), parseResult.GetValue(s_release), parseResult.GetValue(s_environment));
        var outs = ProfileArguments.ParseOuts(parseResult.GetValue(s_out));
        var results = parseResult.GetValue(s_results) ?? System.Environment.GetEnvironmentVariable("LOADLAB_RESULTS") ?? profile.Results ?? "results";
        var (exit, _, _) = await _pipeline.ExecuteAsync(
            new RunPipeline.Request(profile, results, outs, segment, runId, parseResult.GetValue(s_strictTelemetry), Out(parseResult), Error(parseResult)),
            cancellationToken);
        return exit;
    }
}
