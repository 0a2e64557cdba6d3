using System.Globalization;
using System.Text;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;

namespace LoadLab.Compare.Output;

/// <summary>GitHub-flavoured Markdown for a pull-request comment or a CI step summary (kept under 65,000 characters).</summary>
public static class MarkdownRenderer
{
    /// <summary>The size GitHub accepts for a comment is 65,536 characters; stay clearly below.</summary>
    public const int MaxLength = 60_000;

    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The Markdown.</returns>
    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var icon = report.Verdict switch { Verdict.Pass => "✅", Verdict.Marginal => "⚠️", _ => "❌" };
        sb.Append(CultureInfo.InvariantCulture, $"## {icon} LoadLab comparison: {report.Verdict} (score {report.Score:0.0})").AppendLine().AppendLine();
        sb.Append("Candidate **").Append(Escape(Describe(report.Candidate))).Append("** vs baseline ")
          .Append(string.Join(", ", report.Baselines.Select(b => "**" + Escape(Describe(b)) + "**")))
          .Append(CultureInfo.InvariantCulture, $". {report.Passed} of {report.Judged} judged metrics passed; α = {report.Settings.Alpha}, latency = {report.Settings.Latency}.")
          .AppendLine().AppendLine();
        foreach (var reason in report.Reasons)
        {
            sb.Append("- ").AppendLine(Escape(reason));
        }

        sb.AppendLine();
        var all = report.AllJudgements().ToList();
        var regressed = all.Where(x => x.Judgement.Classification == Classification.Regressed).ToList();
        if (regressed.Count > 0)
        {
            sb.AppendLine("### Regressions").AppendLine();
            foreach (var (scenario, step, j) in regressed)
            {
                sb.Append("- **").Append(Escape(Comparer.Where(scenario, step))).Append("** ").Append(Escape(Comparer.Label(j)))
                  .Append(j.Critical ? " (critical)" : "").Append(": ").AppendLine(Escape(j.Reason));
            }

            sb.AppendLine();
        }

        sb.AppendLine("| Scenario / step | Metric | Baseline | Candidate | Change [CI] | Tolerance | p | Result |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");

        // Regressions first, so that a long report cut short still shows what matters.
        var ordered = all.OrderBy(x => x.Judgement.Classification switch { Classification.Regressed => 0, Classification.Improved => 1, Classification.Pass => 2, _ => 3 }).ToList();
        var omitted = 0;
        foreach (var (scenario, step, j) in ordered)
        {
            var row = $"| {Escape(Comparer.Where(scenario, step))} | {Escape(Comparer.Label(j))}{(j.Critical ? " ★" : "")} | {Formatting.Value(j.Baseline, j.Unit)} | {Formatting.Value(j.Candidate, j.Unit)} | {Formatting.Change(j)} | {Formatting.Tolerance(j)} | {Formatting.P(j.PValue)} | {Badge(j.Classification)} |";
            if (sb.Length + row.Length > MaxLength - 2_000)
            {
                omitted++;
                continue;
            }

            sb.AppendLine(row);
        }

        if (omitted > 0)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"_{omitted} more rows omitted to fit a comment; see the JSON report._").AppendLine();
        }

        sb.AppendLine().AppendLine("★ critical: a regression fails the comparison alone. Change: candidate vs baseline, with the confidence interval of latency percentiles (bootstrap). p: one-sided, towards worse.");
        AppendLatencyDetails(sb, all);
        foreach (var note in report.Notes)
        {
            sb.AppendLine().Append("> ").AppendLine(Escape(note));
        }

        return sb.ToString();
    }

    private static void AppendLatencyDetails(StringBuilder sb, List<(string Scenario, string? Step, MetricJudgement Judgement)> all)
    {
        var latency = all.Where(x => x.Judgement.Latency is not null).ToList();
        if (latency.Count == 0)
        {
            return;
        }

        var details = new StringBuilder();
        details.AppendLine().AppendLine("<details><summary>Latency details</summary>").AppendLine();
        details.AppendLine("| Scenario / step | p50 | p95 | p99 | Hodges-Lehmann shift [CI] | Mann-Whitney p (two-sided) | n baseline / candidate |");
        details.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (scenario, step, j) in latency)
        {
            var l = j.Latency!;
            string Pct(double p)
            {
                var d = l.Percentiles.FirstOrDefault(x => x.Percentile == p);
                return d is null ? "" : $"{Formatting.Duration(d.Baseline)} → {Formatting.Duration(d.Candidate)}";
            }

            var hl = Formatting.Duration(l.HodgesLehmannShift) + (l.HodgesLehmannInterval is { } ci ? $" [{Formatting.Duration(ci.Lower)}, {Formatting.Duration(ci.Upper)}]" : "");
            var row = string.Create(CultureInfo.InvariantCulture, $"| {Escape(Comparer.Where(scenario, step))} | {Pct(50)} | {Pct(95)} | {Pct(99)} | {hl} | {Formatting.P(l.PTwoSided)} | {l.BaselineCount} / {l.CandidateCount} |");
            if (sb.Length + details.Length + row.Length > MaxLength - 200)
            {
                break;
            }

            details.AppendLine(row);
        }

        details.AppendLine().AppendLine("</details>");
        sb.Append(details);
    }

    private static string Badge(Classification c) => c switch
    {
        Classification.Pass => "✅ Pass",
        Classification.Regressed => "❌ Regressed",
        Classification.Improved => "🟢 Improved",
        _ => "⚪ NoData",
    };

    private static string Describe(RunReference run) => run.Release is null ? run.Id : $"{run.Id} ({run.Release})";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
