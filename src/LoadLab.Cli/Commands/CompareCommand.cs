using System.CommandLine;
using LoadLab.Compare;
using LoadLab.Reports;

namespace LoadLab.Cli.Commands;

/// <summary>
/// <c>loadlab compare</c>: judges a candidate run against baselines (result files, or Prometheus
/// selectors) and exits 0 (pass), 5 (marginal), 4 (fail) or 2 (bad input).
/// </summary>
internal sealed class CompareCommand : BaseCommand
{
    private static readonly Option<string[]> s_baselineOption = new("--baseline")
    {
        Description = "A baseline result file or run folder; repeat for several (three or more measure run-to-run variation).",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string> s_candidateOption = new("--candidate") { Description = "The candidate result file or run folder." };

    private static readonly Option<string> s_configOption = new("--config") { Description = "A gate file (YAML) with alpha, tolerances, critical metrics and score cut-offs; see docs/comparison.md." };

    private static readonly Option<string> s_formatOption = new("--format")
    {
        Description = "Output format: table, markdown, json, junit or html.",
        DefaultValueFactory = _ => "table",
    };

    private static readonly Option<string> s_outputOption = new("--output") { Description = "Write the output to this file instead of stdout." };

    private static readonly Option<bool> s_colorOption = new("--color") { Description = "Colour the table with ANSI escapes." };

    private static readonly Option<string> s_prometheusOption = new("--prometheus") { Description = "Compare from the series stored in Prometheus at this URL instead of result files." };

    private static readonly Option<string> s_baselineSelectorOption = new("--baseline-selector") { Description = "Label matchers of the baseline in Prometheus, e.g. 'release=\"1.4.1\"'." };

    private static readonly Option<string> s_candidateSelectorOption = new("--candidate-selector") { Description = "Label matchers of the candidate in Prometheus, e.g. 'release=\"1.4.2\"'." };

    private static readonly Option<string> s_rangeOption = new("--range")
    {
        Description = "The range over which Prometheus counters are increased, e.g. 1h.",
        DefaultValueFactory = _ => "1h",
    };

    public CompareCommand()
        : base("compare", "Compare a candidate run with baseline runs: statistical judgement per scenario and step, score and verdict.")
    {
        Options.Add(s_baselineOption);
        Options.Add(s_candidateOption);
        Options.Add(s_configOption);
        Options.Add(s_formatOption);
        Options.Add(s_outputOption);
        Options.Add(s_colorOption);
        Options.Add(s_prometheusOption);
        Options.Add(s_baselineSelectorOption);
        Options.Add(s_candidateSelectorOption);
        Options.Add(s_rangeOption);
    }

    /// <summary>Gets or sets the html renderer; LoadLab.Reports' by default (html is refused when null).</summary>
    public Func<Compare.Model.ComparisonReport, string>? HtmlRenderer { get; set; } = CompareReportRenderer.RenderHtml;

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new CompareRequest
        {
            Baselines = [.. parseResult.GetValue(s_baselineOption) ?? []],
            Candidate = parseResult.GetValue(s_candidateOption),
            Config = parseResult.GetValue(s_configOption),
            Format = parseResult.GetValue(s_formatOption) ?? "table",
            Output = parseResult.GetValue(s_outputOption),
            Colors = parseResult.GetValue(s_colorOption),
            Prometheus = parseResult.GetValue(s_prometheusOption),
            BaselineSelector = parseResult.GetValue(s_baselineSelectorOption),
            CandidateSelector = parseResult.GetValue(s_candidateSelectorOption),
            Range = parseResult.GetValue(s_rangeOption) ?? "1h",
        };
        return CompareRunner.RunAsync(request, Out(parseResult), Error(parseResult), HtmlRenderer, cancellationToken);
    }
}
