using System.Globalization;
using System.Text;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;

namespace LoadLab.Compare.Output;

/// <summary>A plain-text table of a comparison for the terminal; ANSI colours only when asked.</summary>
public static class ConsoleTableRenderer
{
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Grey = "\u001b[90m";
    private const string Reset = "\u001b[0m";

    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="colors">Whether to use ANSI colours.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string Render(ComparisonReport report, bool colors)
    {
        ArgumentNullException.ThrowIfNull(report);
        var header = new[] { "scenario/step", "metric", "baseline", "candidate", "change [CI]", "tolerance", "p", "result" };
        var rows = report.AllJudgements().Select(x => new[]
        {
            Comparer.Where(x.Scenario, x.Step),
            Comparer.Label(x.Judgement) + (x.Judgement.Critical ? " *" : ""),
            Formatting.Value(x.Judgement.Baseline, x.Judgement.Unit),
            Formatting.Value(x.Judgement.Candidate, x.Judgement.Unit),
            Formatting.Change(x.Judgement),
            Formatting.Tolerance(x.Judgement),
            Formatting.P(x.Judgement.PValue),
            Formatting.Result(x.Judgement.Classification),
        }).ToList();
        var classes = report.AllJudgements().Select(x => x.Judgement.Classification).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();

        var sb = new StringBuilder();
        var baselines = string.Join(", ", report.Baselines.Select(Describe));
        sb.Append("LoadLab comparison: candidate ").Append(Describe(report.Candidate)).Append(" vs baseline ").AppendLine(baselines);
        AppendRow(sb, header, widths, null, colors);
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        for (var i = 0; i < rows.Count; i++)
        {
            AppendRow(sb, rows[i], widths, classes[i], colors);
        }

        sb.AppendLine("* critical: a regression fails the comparison alone");
        foreach (var note in report.Notes)
        {
            sb.Append("note: ").AppendLine(note);
        }

        var verdictColor = report.Verdict switch { Verdict.Pass => Green, Verdict.Marginal => Yellow, _ => Red };
        var verdict = report.Verdict.ToString().ToUpperInvariant();
        sb.Append("Verdict: ").Append(colors ? verdictColor + verdict + Reset : verdict)
          .Append(CultureInfo.InvariantCulture, $" (score {report.Score:0.0}: {report.Passed} of {report.Judged} judged metrics passed)").AppendLine();
        foreach (var reason in report.Reasons)
        {
            sb.Append("  ").AppendLine(reason);
        }

        return sb.ToString();
    }

    private static string Describe(RunReference run) => run.Release is null ? run.Id : $"{run.Id} ({run.Release})";

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, Classification? c, bool colors)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].PadRight(widths[i]);
            if (colors && c is { } cls && i == cells.Length - 1)
            {
                var color = cls switch { Classification.Regressed => Red, Classification.Improved => Green, Classification.NoData => Grey, _ => "" };
                cell = color.Length == 0 ? cell : color + cell + Reset;
            }

            sb.Append(cell);
            if (i < cells.Length - 1)
            {
                sb.Append("  ");
            }
        }

        // No trailing spaces: pipelines diff this output.
        var end = sb.Length;
        while (end > 0 && sb[end - 1] == ' ')
        {
            end--;
        }

        sb.Length = end;
        sb.AppendLine();
    }
}
