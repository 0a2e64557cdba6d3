using LoadLab.Reports.Run;
using LoadLab.Results;

namespace LoadLab.Reports;

/// <summary>Renders the reports of one run: HTML (self-contained, inline SVG charts), Markdown and JUnit XML.</summary>
public static class RunReportRenderer
{
    /// <summary>Renders the HTML report: one file that needs no network to open.</summary>
    /// <param name="result">The run result.</param>
    /// <returns>The HTML text.</returns>
    public static string RenderHtml(RunResult result) => RunHtmlReport.Render(result);

    /// <summary>Renders the Markdown summary (GitHub tables, under 65,000 characters).</summary>
    /// <param name="result">The run result.</param>
    /// <returns>The Markdown text.</returns>
    public static string RenderMarkdown(RunResult result) => RunMarkdownReport.Render(result);

    /// <summary>Renders JUnit XML: one test case per threshold and one for the run's completion.</summary>
    /// <param name="result">The run result.</param>
    /// <returns>The XML text.</returns>
    public static string RenderJUnit(RunResult result) => RunJUnitReport.Render(result);
}
