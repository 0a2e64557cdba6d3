using LoadLab.Compare.Model;

namespace LoadLab.Compare.Output;

/// <summary>Picks a renderer by format name.</summary>
public static class ComparisonRenderer
{
    /// <summary>Gets the formats rendered here (html is rendered by LoadLab.Reports).</summary>
    public static IReadOnlyList<string> Formats { get; } = ["table", "markdown", "json", "junit"];

    /// <summary>Renders a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="format">table, markdown, json or junit.</param>
    /// <param name="colors">Whether the table uses ANSI colours.</param>
    /// <returns>The text.</returns>
    /// <exception cref="CompareInputException">The format is unknown.</exception>
    public static string Render(ComparisonReport report, string format, bool colors = false) => format switch
    {
        "table" => ConsoleTableRenderer.Render(report, colors),
        "markdown" => MarkdownRenderer.Render(report),
        "json" => JsonRenderer.Render(report),
        "junit" => JUnitRenderer.Render(report),
        _ => throw new CompareInputException($"--format '{format}' is not known; expected one of: {string.Join(", ", Formats)}."),
    };
}
