using System.Text;

namespace LoadLab.Reports.Markdown;

/// <summary>
/// Builds GitHub-flavoured Markdown in blocks, and keeps the whole under a size limit (GitHub
/// step summaries and comments take at most 65,536 characters): blocks that no longer fit are
/// left out and a note says so.
/// </summary>
internal sealed class MarkdownDocument
{
    /// <summary>The default limit, under GitHub's 65,536 with room for the note.</summary>
    public const int DefaultLimit = 65_000;

    private readonly List<string> _blocks = [];

    public void Heading(int level, string text) => _blocks.Add(new string('#', level) + " " + Inline(text) + "\n");

    public void Paragraph(string markdown) => _blocks.Add(markdown + "\n");

    /// <summary>
    /// Adds a table. Headers are plain text; cells are Markdown already (escape plain text with
    /// <see cref="Cell"/>). Columns listed in <paramref name="rightAligned"/> align right.
    /// </summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null)
    {
        var sb = new StringBuilder();
        sb.Append('|');
        foreach (var h in headers)
        {
            sb.Append(' ').Append(Cell(h)).Append(" |");
        }

        sb.Append("\n|");
        for (var i = 0; i < headers.Count; i++)
        {
            sb.Append(rightAligned?.Contains(i) == true ? " ---: |" : " --- |");
        }

        sb.Append('\n');
        var rowBlocks = new List<string>();
        foreach (var row in rows)
        {
            var line = new StringBuilder("|");
            for (var i = 0; i < headers.Count; i++)
            {
                line.Append(' ').Append(OneLine(i < row.Count ? row[i] : "")).Append(" |");
            }

            rowBlocks.Add(line.Append('\n').ToString());
        }

        // Rows of a table stay one block with its header, so truncation never leaves a header alone.
        foreach (var r in rowBlocks)
        {
            sb.Append(r);
        }

        _blocks.Add(sb.ToString());
    }

    /// <summary>Joins the blocks, leaving out those past <paramref name="limit"/> with a note.</summary>
    public string Build(int limit = DefaultLimit)
    {
        const string Note = "\n> **Note:** this summary was truncated to stay under {0:N0} characters; {1} section(s) were left out. The HTML report and result.json hold everything.\n";
        var sb = new StringBuilder();
        for (var i = 0; i < _blocks.Count; i++)
        {
            var block = _blocks[i] + "\n";
            var reserve = Note.Length + 16;
            if (sb.Length + block.Length > limit - reserve)
            {
                var truncated = TruncateTable(block, limit - reserve - sb.Length);
                if (truncated is not null)
                {
                    sb.Append(truncated);
                }

                sb.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, Note, limit, _blocks.Count - i);
                return sb.ToString();
            }

            sb.Append(block);
        }

        return sb.ToString();
    }

    /// <summary>Keeps the header and as many whole rows of a table block as fit, or null.</summary>
    private static string? TruncateTable(string block, int room)
    {
        if (!block.StartsWith('|') || room <= 0)
        {
            return null;
        }

        var lines = block.Split('\n');
        if (lines.Length < 3 || lines[0].Length + lines[1].Length + 2 > room)
        {
            return null;
        }

        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            if (line.Length == 0 || sb.Length + line.Length + 1 > room)
            {
                break;
            }

            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Escapes a table cell: pipes, line breaks, and characters that would start markup.</summary>
    public static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string OneLine(string cell) => cell.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Escapes text that should not be read as Markdown or HTML.</summary>
    public static string Inline(string text) => (text ?? "")
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("*", "\\*", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal)
        .Replace("`", "\\`", StringComparison.Ordinal);

    /// <summary>Wraps text in a code span (for expressions); backticks inside become quotes.</summary>
    public static string Code(string text) => "`" + (text ?? "").Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal) + "`";
}
