using LoadLab.Compare.Model;
using LoadLab.Compare.Output;
using LoadLab.Reports.Compare;

namespace LoadLab.Reports;

/// <summary>
/// Renders the report of a comparison (<c>loadlab compare --format html|markdown|junit</c>).
/// HTML is rendered here; Markdown and JUnit come from LoadLab.Compare's own renderers, so each
/// verdict is written in one place only.
/// </summary>
public static class CompareReportRenderer
{
    /// <summary>Renders the HTML comparison report: verdict and score, one row per judged metric, overlaid latency distributions.</summary>
    /// <param name="report">The comparison.</param>
    /// <returns>The HTML text, one self-contained file.</returns>
    public static string RenderHtml(ComparisonReport report) => CompareHtmlReport.Render(report);

    /// <summary>Renders the Markdown of a comparison (LoadLab.Compare's <see cref="MarkdownRenderer"/>).</summary>
    /// <param name="report">The comparison.</param>
    /// <returns>The Markdown text.</returns>
    public static string RenderMarkdown(ComparisonReport report) => MarkdownRenderer.Render(report);

    /// <summary>Renders the JUnit XML of a comparison (LoadLab.Compare's <see cref="JUnitRenderer"/>): each judged metric a test case.</summary>
    /// <param name="report">The comparison.</param>
    /// <returns>The XML text.</returns>
    public static string RenderJUnit(ComparisonReport report) => JUnitRenderer.Render(report);
}
