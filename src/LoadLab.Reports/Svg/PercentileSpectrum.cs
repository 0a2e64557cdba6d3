using LoadLab.Histograms;

namespace LoadLab.Reports.Svg;

/// <summary>
/// Samples a latency distribution along HdrHistogram's percentile axis, for the "latency by
/// percentile" charts: x = log10(1 / (1 - p)), y in milliseconds.
/// </summary>
internal static class PercentileSpectrum
{
    /// <summary>The x step between samples (about 25 per decade of percentiles).</summary>
    private const double Step = 0.04;

    /// <summary>Samples a histogram of microseconds.</summary>
    public static List<(double X, double Y)> FromHistogram(HistogramSnapshot histogram) =>
        FromBuckets(histogram.Buckets.Select(b => ((double)b.HighestValue, b.Count)));

    /// <summary>
    /// Samples buckets (highest value in microseconds, count), with HdrHistogram's definition of a
    /// percentile: the highest value of the first bucket at which the running count reaches it.
    /// The line goes as far as the count supports (log10 of the count) and ends at the maximum.
    /// </summary>
    public static List<(double X, double Y)> FromBuckets(IEnumerable<(double Upper, long Count)> buckets)
    {
        var sorted = buckets.Where(b => b.Count > 0).OrderBy(b => b.Upper).ToList();
        var total = sorted.Sum(b => b.Count);
        var points = new List<(double X, double Y)>();
        if (total == 0)
        {
            return points;
        }

        var maxX = Math.Min(6, Math.Max(1, Math.Log10(total)));
        var index = 0;
        long running = sorted[0].Count;
        for (var x = 0.0; x < maxX; x += Step)
        {
            var target = Math.Max(1, (long)(((1 - Math.Pow(10, -x)) * total) + 0.5));
            while (running < target && index < sorted.Count - 1)
            {
                index++;
                running += sorted[index].Count;
            }

            points.Add((x, sorted[index].Upper / 1e3));
        }

        points.Add((maxX, sorted[^1].Upper / 1e3));
        return points;
    }
}
