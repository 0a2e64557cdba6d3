using System.Globalization;

namespace LoadLab.Engine.Segments;

/// <summary>
/// The I-th of N shares of a run (<c>--segment I/N</c>). Open-model arrival k belongs to segment
/// (k mod N) + 1, so the N arrival sequences interleave into exactly the whole sequence; counts of
/// users and iterations are split with the remainder going to the lowest segments.
/// </summary>
public readonly record struct Segment(int Index, int Count)
{
    /// <summary>Gets the whole run as one segment.</summary>
    public static Segment Whole { get; } = new(1, 1);

    /// <summary>Gets the share of <paramref name="total"/> that this segment takes.</summary>
    /// <param name="total">A whole-run count.</param>
    /// <returns>floor(total / N), plus one for the first (total mod N) segments.</returns>
    public int ShareOf(int total) => (int)ShareOf((long)total);

    /// <summary>Gets the share of <paramref name="total"/> that this segment takes.</summary>
    /// <param name="total">A whole-run count.</param>
    /// <returns>floor(total / N), plus one for the first (total mod N) segments.</returns>
    public long ShareOf(long total) => (total / Count) + (Index - 1 < total % Count ? 1 : 0);

    /// <summary>Gets whether arrival <paramref name="k"/> belongs to this segment.</summary>
    /// <param name="k">The arrival number, from 0.</param>
    /// <returns>True when it does.</returns>
    public bool Owns(long k) => k % Count == Index - 1;

    internal long FirstAtOrAfter(long k)
    {
        var rem = k % Count;
        var want = Index - 1;
        return k + ((want - rem + Count) % Count);
    }

    /// <summary>Parses "I/N".</summary>
    /// <param name="text">The text.</param>
    /// <param name="segment">The segment.</param>
    /// <param name="error">What is wrong, when it does not parse.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out Segment segment, out string error)
    {
        segment = Whole;
        error = "";
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            error = $"'{text}' is not a segment; expected I/N with whole numbers, e.g. 2/4";
            return false;
        }

        if (n < 1 || i < 1 || i > n)
        {
            error = $"'{text}' is not a segment; expected I/N with 1 <= I <= N, e.g. 1/{Math.Max(n, 1)}";
            return false;
        }

        segment = new Segment(i, n);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
