using System.Text;
using LoadLab.Results;

namespace LoadLab.Reports;

/// <summary>The report formats, as the CLI's <c>--format</c> names them.</summary>
public static class ReportFormats
{
    /// <summary>The self-contained HTML report.</summary>
    public const string Html = "html";

    /// <summary>The Markdown summary.</summary>
    public const string Markdown = "markdown";

    /// <summary>JUnit XML.</summary>
    public const string JUnit = "junit";

    /// <summary>Gets every format, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Html, Markdown, JUnit];

    /// <summary>Gets the file name <c>run</c> writes beside the result for a format.</summary>
    /// <param name="format">One of <see cref="All"/>.</param>
    /// <returns>report.html, summary.md or junit.xml.</returns>
    /// <exception cref="ArgumentException">The format is not one of <see cref="All"/>.</exception>
    public static string DefaultFileName(string format) => format switch
    {
        Html => ReportWriter.HtmlFileName,
        Markdown => ReportWriter.MarkdownFileName,
        JUnit => ReportWriter.JUnitFileName,
        _ => throw new ArgumentException($"Unknown report format '{format}'; expected one of: {string.Join(", ", All)}.", nameof(format)),
    };
}

/// <summary>Writes the reports of a run beside its result file.</summary>
public static class ReportWriter
{
    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The Markdown summary's file name.</summary>
    public const string MarkdownFileName = "summary.md";

    /// <summary>The JUnit XML file name.</summary>
    public const string JUnitFileName = "junit.xml";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Renders a run in one format.</summary>
    /// <param name="result">The run result.</param>
    /// <param name="format">html, markdown or junit (<see cref="ReportFormats"/>).</param>
    /// <returns>The report text.</returns>
    /// <exception cref="ArgumentException">The format is unknown.</exception>
    public static string Render(RunResult result, string format) => format switch
    {
        ReportFormats.Html => RunReportRenderer.RenderHtml(result),
        ReportFormats.Markdown => RunReportRenderer.RenderMarkdown(result),
        ReportFormats.JUnit => RunReportRenderer.RenderJUnit(result),
        _ => throw new ArgumentException($"Unknown report format '{format}'; expected one of: {string.Join(", ", ReportFormats.All)}.", nameof(format)),
    };

    /// <summary>Writes report.html, summary.md and junit.xml into <paramref name="directory"/> (created if missing).</summary>
    /// <param name="result">The run result.</param>
    /// <param name="directory">The run's directory, beside result.json.</param>
    /// <returns>The paths written, in the order html, markdown, junit.</returns>
    public static IReadOnlyList<string> WriteAll(RunResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>(3);
        foreach (var format in ReportFormats.All)
        {
            var path = Path.Combine(directory, ReportFormats.DefaultFileName(format));
            WriteFile(path, Render(result, format));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// What <c>loadlab report RESULT [--format F] [--output FILE]</c> does: reads a result file (or
    /// run folder), renders it, and writes it to <paramref name="output"/>, or to
    /// <paramref name="stdout"/> when no output is given (as <c>loadlab compare</c> does).
    /// </summary>
    /// <param name="resultPath">A result.json, result.json.gz, or the run folder holding one.</param>
    /// <param name="format">html, markdown or junit.</param>
    /// <param name="output">The file to write, or null for stdout.</param>
    /// <param name="stdout">Standard output; gets the report, or the written path when <paramref name="output"/> is set.</param>
    /// <exception cref="ResultFileException">The result file is missing or not a LoadLab result.</exception>
    /// <exception cref="ArgumentException">The format is unknown.</exception>
    public static void WriteReport(string resultPath, string format, string? output, TextWriter stdout)
    {
        ArgumentException.ThrowIfNullOrEmpty(resultPath);
        ArgumentNullException.ThrowIfNull(stdout);
        _ = ReportFormats.DefaultFileName(format);
        var text = Render(ResultFile.Read(resultPath), format);
        if (string.IsNullOrEmpty(output))
        {
            stdout.Write(text);
            return;
        }

        WriteFile(output, text);
        stdout.WriteLine(Path.GetFullPath(output));
    }

    /// <summary>Writes text as UTF-8 without a byte order mark, through a temporary file so a reader never sees half a report.</summary>
    /// <param name="path">The file.</param>
    /// <param name="text">The content.</param>
    public static void WriteFile(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var temp = full + ".tmp";
        File.WriteAllText(temp, text, s_utf8);
        File.Move(temp, full, overwrite: true);
    }
}
