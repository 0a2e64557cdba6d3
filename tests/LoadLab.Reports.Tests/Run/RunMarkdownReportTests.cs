using LoadLab.Reports.Markdown;
using LoadLab.Reports.Run;
using LoadLab.Results;

namespace LoadLab.Reports.Tests.Run;

public class RunMarkdownReportTests
{
    [Fact]
    public void RenderMarkdown_FailedRun_EveryTableIsWellFormed()
    {
        var md = RunReportRenderer.RenderMarkdown(TestData.Run(seconds: 60));

        var tables = MarkdownTables.Parse(md);
        Assert.True(tables.Count >= 5, $"expected at least 5 tables, found {tables.Count}");
        Assert.All(tables, MarkdownTables.AssertWellFormed);
    }

    [Fact]
    public void RenderMarkdown_FailedRun_ListsFailingThresholdFirstWithValues()
    {
        var md = RunReportRenderer.RenderMarkdown(TestData.Run(seconds: 60));

        Assert.Contains("❌ **FAILED: 1 of 4 thresholds failed**", md);
        var thresholds = MarkdownTables.Parse(md).Single(t => t[0].Contains("Expression", StringComparison.Ordinal));
        Assert.Equal("| ❌ **FAIL** | payment\\_flow | `p99(response_time) < 250ms` | whole run | 412 ms | 250 ms |", thresholds[2]);
        Assert.Equal("| ✅ pass | payment\\_flow | `error_rate < 5%` (abort) | 30 s | 1.2% | 5% |", thresholds[4]);
    }

    [Fact]
    public void RenderMarkdown_Run_HasARowPerScenarioAndStep()
    {
        var result = TestData.Run(seconds: 60);

        var md = RunReportRenderer.RenderMarkdown(result);

        var latency = MarkdownTables.Parse(md).Single(t => t[0].StartsWith("| Scenario / step", StringComparison.Ordinal));
        Assert.Equal(2 + result.Scenarios.Sum(s => 1 + s.Steps.Count), latency.Count);
        Assert.StartsWith("| ↳ authorize |", latency[7]);
    }

    [Theory]
    [InlineData(RunStatus.Interrupted)]
    [InlineData(RunStatus.Aborted)]
    public void RenderMarkdown_StoppedRun_SaysPartial(string status)
    {
        var md = RunReportRenderer.RenderMarkdown(TestData.Run(seconds: 45, status: status));

        Assert.Contains("⚠️ **" + status.ToUpperInvariant(), md);
        Assert.Contains("_Partial result: 45 s measured before the run stopped._", md);
    }

    [Fact]
    public void RenderMarkdown_HundredsOfScenarios_StaysUnderLimitWithNoteAndWholeTables()
    {
        var result = TestData.Run(seconds: 10);
        var template = result.Scenarios[1];
        for (var i = 0; i < 400; i++)
        {
            result.Scenarios.Add(new ScenarioResult
            {
                Name = $"generated_{i}",
                Iterations = template.Iterations,
                Rate = template.Rate,
                ResponseTime = template.ResponseTime,
                Steps = template.Steps,
                Errors = template.Errors,
            });
        }

        var md = RunReportRenderer.RenderMarkdown(result);

        Assert.InRange(md.Length, 50_000, 65_000);
        Assert.Contains("this summary was truncated to stay under 65,000 characters", md);
        Assert.All(MarkdownTables.Parse(md), MarkdownTables.AssertWellFormed);
    }

    [Fact]
    public void Cell_TextWithPipesAndMarkup_IsEscaped()
    {
        Assert.Equal("a \\| b &lt;i&gt; \\*x\\* c", MarkdownDocument.Cell("a | b <i> *x*\nc"));
    }

    [Fact]
    public void Render_SmallLimit_TruncatesInsideATableAtARowBoundary()
    {
        var md = RunMarkdownReport.Render(TestData.Run(seconds: 10), limit: 2_500);

        Assert.True(md.Length <= 2_500, $"length {md.Length}");
        Assert.Contains("truncated", md);
        Assert.All(MarkdownTables.Parse(md), MarkdownTables.AssertWellFormed);
    }
}

/// <summary>Finds GitHub tables in Markdown and checks their structure.</summary>
internal static class MarkdownTables
{
    public static List<List<string>> Parse(string md)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in md.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                current ??= [];
                current.Add(line);
            }
            else if (current is not null)
            {
                tables.Add(current);
                current = null;
            }
        }

        if (current is not null)
        {
            tables.Add(current);
        }

        return tables;
    }

    public static void AssertWellFormed(List<string> table)
    {
        Assert.True(table.Count >= 3, "a table needs a header, a separator and a row: " + string.Join('\n', table));
        Assert.Matches("^\\|( :?-{3,}:? \\|)+$", table[1]);
        var columns = Columns(table[0]);
        Assert.All(table, line =>
        {
            Assert.EndsWith("|", line);
            Assert.Equal(columns, Columns(line));
        });
    }

    /// <summary>Counts the cells of a row: unescaped pipes minus one.</summary>
    private static int Columns(string line)
    {
        var pipes = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '|')
            {
                pipes++;
            }
        }

        return pipes - 1;
    }
}
