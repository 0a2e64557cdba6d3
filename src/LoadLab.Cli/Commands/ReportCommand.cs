using System.CommandLine;
using LoadLab.Reports;

namespace LoadLab.Cli.Commands;

/// <summary>
/// <c>loadlab report RESULT [--format html|markdown|junit] [--output FILE]</c>: renders the report
/// of a finished run again (after a merge, or for a result copied from CI). Without
/// <c>--output</c> the report goes to stdout, as with <c>loadlab compare</c>.
/// </summary>
internal sealed class ReportCommand : BaseCommand
{
    private static readonly Argument<string> s_resultArgument = new("RESULT")
    {
        Description = "A result.json (or result.json.gz), or the run folder that holds it.",
    };

    private static readonly Option<string> s_formatOption = CreateFormatOption();

    private static readonly Option<string> s_outputOption = new("--output")
    {
        Description = "Write the report to this file instead of stdout; the file's full path is printed.",
    };

    public ReportCommand()
        : base("report", "Render the HTML report, the Markdown summary or JUnit XML of a run's result file.")
    {
        Arguments.Add(s_resultArgument);
        Options.Add(s_formatOption);
        Options.Add(s_outputOption);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var result = parseResult.GetValue(s_resultArgument);
        if (string.IsNullOrWhiteSpace(result))
        {
            throw new UserInputException("RESULT is required: a result.json or a run folder.");
        }

        var format = parseResult.GetValue(s_formatOption) ?? ReportFormats.Html;
        if (!ReportFormats.All.Contains(format))
        {
            throw new UserInputException($"--format '{format}' is not known; expected one of: {string.Join(", ", ReportFormats.All)}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        ReportWriter.WriteReport(result, format, parseResult.GetValue(s_outputOption), Out(parseResult));
        return Task.FromResult(ExitCodes.Success);
    }

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format: html (default), markdown or junit.",
            DefaultValueFactory = _ => ReportFormats.Html,
        };
        option.AcceptOnlyFromAmong([.. ReportFormats.All]);
        return option;
    }
}
