using LoadLab.Compare.Configuration;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;
using LoadLab.Compare.Output;
using LoadLab.Compare.Prometheus;
using LoadLab.Results;

namespace LoadLab.Compare;

/// <summary>What <c>loadlab compare</c> was asked to do.</summary>
public sealed class CompareRequest
{
    /// <summary>Gets or sets the baseline result files (files mode).</summary>
    public List<string> Baselines { get; set; } = [];

    /// <summary>Gets or sets the candidate result file (files mode).</summary>
    public string? Candidate { get; set; }

    /// <summary>Gets or sets the gate file (YAML), if any.</summary>
    public string? Config { get; set; }

    /// <summary>Gets or sets the output format: table, markdown, json, junit or html.</summary>
    public string Format { get; set; } = "table";

    /// <summary>Gets or sets the file to write the output to; stdout when null.</summary>
    public string? Output { get; set; }

    /// <summary>Gets or sets a value indicating whether the table uses ANSI colours.</summary>
    public bool Colors { get; set; }

    /// <summary>Gets or sets the Prometheus URL (Prometheus mode).</summary>
    public string? Prometheus { get; set; }

    /// <summary>Gets or sets the baseline label selector (Prometheus mode).</summary>
    public string? BaselineSelector { get; set; }

    /// <summary>Gets or sets the candidate label selector (Prometheus mode).</summary>
    public string? CandidateSelector { get; set; }

    /// <summary>Gets or sets the range of the increase (Prometheus mode).</summary>
    public string Range { get; set; } = "1h";

    /// <summary>Gets or sets the evaluation time (Prometheus mode); now when null.</summary>
    public DateTimeOffset? Time { get; set; }
}

/// <summary>The logic of <c>loadlab compare</c>, kept here so that it is testable without the CLI.</summary>
public static class CompareRunner
{
    /// <summary>Builds the comparison report.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels Prometheus queries.</param>
    /// <returns>The report.</returns>
    /// <exception cref="CompareInputException">Bad flags, a bad gate file, unusable inputs, or a Prometheus error.</exception>
    /// <exception cref="ResultFileException">A result file cannot be read or has another schema version.</exception>
    public static async Task<ComparisonReport> BuildReportAsync(CompareRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Config is null ? new ComparisonOptions() : GateFileReader.Read(request.Config);
        var comparer = new Comparer(options);
        if (request.Prometheus is not null)
        {
            if (request.Baselines.Count > 0 || request.Candidate is not null)
            {
                throw new CompareInputException("--prometheus compares label selectors; use --baseline-selector and --candidate-selector instead of --baseline/--candidate.");
            }

            if (string.IsNullOrWhiteSpace(request.BaselineSelector) || string.IsNullOrWhiteSpace(request.CandidateSelector))
            {
                throw new CompareInputException("--prometheus needs --baseline-selector and --candidate-selector, e.g. --baseline-selector 'release=\"1.4.1\"'.");
            }

            // Bad flags are reported before Prometheus is asked anything.
            PrometheusRunSource.NormalizeSelector(request.BaselineSelector);
            PrometheusRunSource.NormalizeSelector(request.CandidateSelector);
            PrometheusRunSource.ParseDuration(request.Range);
            using var client = new PrometheusClient(request.Prometheus);

            // Both runs at one instant of Prometheus's clock.
            var at = request.Time ?? await client.GetTimeAsync(cancellationToken).ConfigureAwait(false);
            var baseline = await PrometheusRunSource.LoadAsync(client, request.BaselineSelector, request.Range, options.Latency, at, cancellationToken).ConfigureAwait(false);
            var candidate = await PrometheusRunSource.LoadAsync(client, request.CandidateSelector, request.Range, options.Latency, at, cancellationToken).ConfigureAwait(false);
            return comparer.Compare([baseline], candidate, "prometheus");
        }

        if (request.BaselineSelector is not null || request.CandidateSelector is not null)
        {
            throw new CompareInputException("--baseline-selector and --candidate-selector need --prometheus URL.");
        }

        if (request.Baselines.Count == 0 || request.Candidate is null)
        {
            throw new CompareInputException("compare needs --baseline RESULT (one or more) and --candidate RESULT, or --prometheus URL with selectors.");
        }

        var baselines = request.Baselines.Select(RunDataReader.Read).ToList();
        var cand = RunDataReader.Read(request.Candidate);
        return comparer.Compare(baselines, cand);
    }

    /// <summary>Runs the command: compares, renders, writes, and returns the exit code (0 pass, 5 marginal, 4 fail, 2 bad input).</summary>
    /// <param name="request">The request.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="htmlRenderer">Renders html (from LoadLab.Reports), or null when html is not available.</param>
    /// <param name="cancellationToken">Cancels Prometheus queries.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(CompareRequest request, TextWriter stdout, TextWriter stderr, Func<ComparisonReport, string>? htmlRenderer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            if (request.Format != "html" && !ComparisonRenderer.Formats.Contains(request.Format))
            {
                throw new CompareInputException($"--format '{request.Format}' is not known; expected one of: {string.Join(", ", ComparisonRenderer.Formats.Append("html"))}.");
            }

            if (request.Format == "html" && htmlRenderer is null)
            {
                throw new CompareInputException("--format html is not available in this build; use table, markdown, json or junit.");
            }

            var report = await BuildReportAsync(request, cancellationToken).ConfigureAwait(false);
            var text = request.Format == "html" ? htmlRenderer!(report) : ComparisonRenderer.Render(report, request.Format, request.Colors && request.Output is null);
            if (request.Output is null)
            {
                await stdout.WriteAsync(text).ConfigureAwait(false);
            }
            else
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(request.Output));
                if (!string.IsNullOrEmpty(dir))
                {
                    Directory.CreateDirectory(dir);
                }

                await File.WriteAllTextAsync(request.Output, text, cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync($"{report.Verdict} (score {report.Score:0.0}); {request.Format} written to {request.Output}").ConfigureAwait(false);
            }

            return CompareExitCodes.For(report.Verdict);
        }
        catch (Exception e) when (e is CompareInputException or ResultFileException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return CompareExitCodes.InvalidInput;
        }
    }
}

/// <summary>What <c>loadlab gate</c> was asked to do.</summary>
public sealed class GateRequest
{
    /// <summary>Gets or sets the Prometheus URL.</summary>
    public string Prometheus { get; set; } = "";

    /// <summary>Gets or sets a single query.</summary>
    public string? Query { get; set; }

    /// <summary>Gets or sets the upper bound of the single query.</summary>
    public double? Max { get; set; }

    /// <summary>Gets or sets the lower bound of the single query.</summary>
    public double? Min { get; set; }

    /// <summary>Gets or sets a gates file.</summary>
    public string? File { get; set; }

    /// <summary>Gets or sets the no-data policy: fail (default) or pass.</summary>
    public string NoData { get; set; } = "fail";

    /// <summary>Gets or sets the evaluation time; now when null.</summary>
    public DateTimeOffset? Time { get; set; }
}

/// <summary>The logic of <c>loadlab gate</c>.</summary>
public static class GateCommandRunner
{
    /// <summary>Runs the gates, prints the table, and returns 0 (pass), 4 (fail) or 2 (bad input, unreachable Prometheus, query error).</summary>
    /// <param name="request">The request.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(GateRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var policy = request.NoData switch
            {
                "fail" => NoDataPolicy.Fail,
                "pass" => NoDataPolicy.Pass,
                _ => throw new CompareInputException($"--no-data '{request.NoData}' is not known; expected fail or pass."),
            };
            IReadOnlyList<GateSpec> gates;
            if (request.File is not null)
            {
                if (request.Query is not null || request.Max is not null || request.Min is not null)
                {
                    throw new CompareInputException("gate takes either --file GATES.yaml or --query with --max/--min, not both.");
                }

                gates = GateRunner.ReadFile(request.File);
            }
            else if (request.Query is not null)
            {
                if (request.Max is null && request.Min is null)
                {
                    throw new CompareInputException("--query needs a bound: --max X or --min X.");
                }

                gates = [new GateSpec { Query = request.Query, Max = request.Max, Min = request.Min }];
            }
            else
            {
                throw new CompareInputException("gate needs --query PROMQL with --max/--min, or --file GATES.yaml.");
            }

            using var client = new PrometheusClient(request.Prometheus);
            var report = await GateRunner.RunAsync(client, gates, policy, request.Time, cancellationToken).ConfigureAwait(false);
            await stdout.WriteAsync(report.RenderTable()).ConfigureAwait(false);
            return report.ExitCode;
        }
        catch (CompareInputException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return CompareExitCodes.InvalidInput;
        }
    }
}
