using System.CommandLine;
using LoadLab.Cli.Running;
using LoadLab.Engine.Segments;
using LoadLab.Results;

namespace LoadLab.Cli.Commands;

/// <summary><c>loadlab merge RESULT... --output FILE</c>: adds the results of a run's segments exactly.</summary>
internal sealed class MergeCommand : BaseCommand
{
    private static readonly Argument<string[]> s_results = new("results") { Description = "The segment results (files or run folders).", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string> s_output = new("--output") { Description = "The merged result file (.json, or .json.gz).", Required = true };

    public MergeCommand()
        : base("merge", "Merge the results of a run's --segment shares: counts and HdrHistograms add up exactly; thresholds are judged again.")
    {
        Arguments.Add(s_results);
        Options.Add(s_output);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var files = parseResult.GetValue(s_results)!;
        var parts = files.Select(f => (f, ResultFile.Read(f))).ToList();
        var merged = ResultMerger.Merge(parts);
        var output = parseResult.GetValue(s_output)!;
        ResultFile.WriteTo(merged, output);
        Console.SummaryPrinter.Print(merged, Out(parseResult));
        await Out(parseResult).WriteLineAsync(Path.GetFullPath(output));
        return RunPipeline.ExitCodeOf(merged, strictTelemetry: false);
    }
}
