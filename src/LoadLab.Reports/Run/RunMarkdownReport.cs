using LoadLab.Reports.Formatting;
using LoadLab.Reports.Markdown;
using LoadLab.Results;

namespace LoadLab.Reports.Run;

/// <summary>Renders the Markdown summary of one run (CI step summaries, pull-request comments).</summary>
internal static class RunMarkdownReport
{
    public static string Render(RunResult result, int limit = MarkdownDocument.DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new MarkdownDocument();
        var symbol = result.Status switch
        {
            RunStatus.Passed => "✅",
            RunStatus.Failed => "❌",
            _ => "⚠️",
        };
        md.Heading(2, $"LoadLab run {result.Profile}".Trim());
        md.Paragraph($"{symbol} **{MarkdownDocument.Inline(ReportFormat.StatusHeadline(result))}**"
            + (ReportFormat.ErrorDetail(result) is { } error ? $"\n\n> {MarkdownDocument.Inline(error)}" : ""));
        if (result.Status is RunStatus.Aborted or RunStatus.Interrupted)
        {
            md.Paragraph($"_Partial result: {ReportFormat.Duration(result.DurationSeconds)} measured before the run stopped._");
        }

        var labels = string.Join(", ", result.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        md.Table(["Run id", "Labels", "Started", "Measured", "Commit"],
            [[
                MarkdownDocument.Code(result.RunId),
                MarkdownDocument.Cell(labels),
                MarkdownDocument.Cell(ReportFormat.Time(result.StartedAt)),
                MarkdownDocument.Cell(ReportFormat.Duration(result.DurationSeconds)),
                string.IsNullOrEmpty(result.GitCommit) ? "–" : MarkdownDocument.Code(result.GitCommit[..Math.Min(12, result.GitCommit.Length)]),
            ]]);

        md.Heading(3, "Thresholds");
        if (result.Thresholds.Count == 0)
        {
            md.Paragraph("No thresholds were set.");
        }
        else
        {
            md.Table(["Verdict", "Scenario", "Expression", "Window", "Measured", "Bound"],
                result.Thresholds.OrderBy(t => t.Passed).Select(t => (IReadOnlyList<string>)
                [
                    t.Passed ? "✅ pass" : "❌ **FAIL**",
                    MarkdownDocument.Cell(t.Scenario),
                    MarkdownDocument.Code(t.Expr) + (t.Abort ? " (abort)" : ""),
                    t.Window is { } w ? ReportFormat.Duration(w) : "whole run",
                    MarkdownDocument.Cell(ReportFormat.ThresholdValue(t.Expr, t.Value)),
                    MarkdownDocument.Cell(ReportFormat.ThresholdValue(t.Expr, t.Bound)),
                ]),
                new HashSet<int> { 4, 5 });
        }

        md.Heading(3, "Response time");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var s in result.Scenarios)
        {
            var duration = s.DurationSeconds > 0 ? s.DurationSeconds : result.DurationSeconds;
            rows.Add(Row("**" + MarkdownDocument.Cell(s.Name) + "**", s.Iterations.Ok, s.Iterations.Fail, s.Rate.Achieved, s.ResponseTime));
            foreach (var step in s.Steps)
            {
                var rate = duration > 0 ? (step.Requests.Ok + step.Requests.Fail) / duration : 0;
                rows.Add(Row("↳ " + MarkdownDocument.Cell(step.Name), step.Requests.Ok, step.Requests.Fail, rate, step.ResponseTime));
            }
        }

        md.Table(["Scenario / step", "Requests", "Rate", "Errors", "p50", "p90", "p95", "p99", "p99.9", "max"], rows,
            new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9 });

        var errors = result.Scenarios.SelectMany(s => s.Steps.SelectMany(step => step.Errors.Select(e => (s.Name, Step: step.Name, e.Key, e.Value)))
            .Concat(s.Errors.Select(e => (s.Name, Step: "(iteration)", e.Key, e.Value)))).OrderByDescending(e => e.Value).ToList();
        if (errors.Count > 0)
        {
            md.Heading(3, "Errors");
            md.Table(["Scenario", "Step", "Kind", "Count"],
                errors.Select(e => (IReadOnlyList<string>)[MarkdownDocument.Cell(e.Name), MarkdownDocument.Cell(e.Step), MarkdownDocument.Cell(e.Key), ReportFormat.Count(e.Value)]),
                new HashSet<int> { 3 });
        }

        var checks = result.Scenarios.SelectMany(s => s.Checks.Select(c => (s.Name, c.Key, c.Value))).ToList();
        if (checks.Count > 0)
        {
            md.Heading(3, "Checks");
            md.Table(["Verdict", "Scenario", "Check", "Passed", "Failed"],
                checks.Select(c => (IReadOnlyList<string>)[c.Value.Fail == 0 ? "✅" : "❌", MarkdownDocument.Cell(c.Name), MarkdownDocument.Cell(c.Key), ReportFormat.Count(c.Value.Pass), ReportFormat.Count(c.Value.Fail)]),
                new HashSet<int> { 3, 4 });
        }

        var business = result.Scenarios.SelectMany(s => s.Business.SelectMany(b => b.Value.Select(o => (s.Name, Event: b.Key, Outcome: o.Key, Count: o.Value, Total: b.Value.Values.Sum())))).ToList();
        if (business.Count > 0)
        {
            md.Heading(3, "Business outcomes");
            md.Table(["Scenario", "Event", "Outcome", "Count", "Share"],
                business.Select(b => (IReadOnlyList<string>)[MarkdownDocument.Cell(b.Name), MarkdownDocument.Cell(b.Event), MarkdownDocument.Cell(b.Outcome), ReportFormat.Count(b.Count), ReportFormat.Percent(b.Total == 0 ? 0 : (double)b.Count / b.Total)]),
                new HashSet<int> { 3, 4 });
        }

        if (result.Faults.Count > 0)
        {
            md.Heading(3, "Faults");
            md.Table(["Fault", "Kind", "Target", "From", "To"],
                result.Faults.Select(f => (IReadOnlyList<string>)
                [
                    MarkdownDocument.Cell(f.Name), MarkdownDocument.Cell(f.Kind), MarkdownDocument.Cell(f.Target),
                    ReportFormat.Number(Math.Round((f.Start - result.StartedAt).TotalSeconds, 1)) + " s",
                    f.End is { } end ? ReportFormat.Number(Math.Round((end - result.StartedAt).TotalSeconds, 1)) + " s" : "end of run",
                ]));
        }

        var g = result.Generator;
        md.Paragraph($"Generator: CPU {ReportFormat.Percent(g.CpuRatio)}, GC pauses {ReportFormat.Latency(g.GcPauseSeconds)}, dropped iterations {ReportFormat.Count(g.DroppedIterations)}."
            + (g.CpuRatio > 0.8 ? " ⚠️ The generator was busy: latencies may include its own delay." : ""));
        return md.Build(limit);
    }

    private static IReadOnlyList<string> Row(string name, long ok, long fail, double rate, LatencySummary l)
    {
        string L(double v) => l.Count == 0 ? "–" : ReportFormat.Latency(v);
        var errors = fail == 0 ? "0%" : $"{ReportFormat.Percent(ReportFormat.ErrorRatio(ok, fail))} ({ReportFormat.Count(fail)})";
        return [name, ReportFormat.Count(ok + fail), ReportFormat.Rate(rate), errors, L(l.P50), L(l.P90), L(l.P95), L(l.P99), L(l.P999), L(l.Max)];
    }
}
