using System.Globalization;
using LoadLab.Histograms;

namespace LoadLab.Sinks.Prometheus.Exposition;

/// <summary>
/// The Prometheus bucket layout of the latency histograms (docs/metrics.md, "Bucket layout"): upper bounds
/// 1 ms × 2^(i/16), rounded to whole microseconds, from 1 ms up to the first bound at or above 60 s.
/// The ratio 2^(1/16) ≈ 1.0443 bounds the error of histogram_quantile's linear interpolation to 4.43%
/// of the value, which with HdrHistogram's 0.1% keeps it within 5% of the HdrHistogram percentile.
/// </summary>
internal static class HistogramBuckets
{
    /// <summary>Buckets per doubling.</summary>
    public const int PerDoubling = 16;

    /// <summary>The lowest upper bound in microseconds (1 ms).</summary>
    public const long LowestMicros = 1_000;

    /// <summary>The highest bound must reach this (60 s).</summary>
    public const long HighestMicros = 60_000_000;

    /// <summary>Gets the finite upper bounds in microseconds, ascending.</summary>
    public static long[] UpperBoundsMicros { get; } = CreateBounds();

    /// <summary>Gets the <c>le</c> label values (seconds), same order as <see cref="UpperBoundsMicros"/>.</summary>
    public static string[] UpperBoundLabels { get; } =
        UpperBoundsMicros.Select(b => (b / 1e6).ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Gets the number of finite buckets.</summary>
    public static int Count => UpperBoundsMicros.Length;

    /// <summary>
    /// Fills <paramref name="cumulative"/> (length <see cref="Count"/>) with the count of values at or below each bound,
    /// exactly <see cref="HistogramSnapshot.CountAtOrBelow"/> of each bound, in one pass over the snapshot.
    /// </summary>
    /// <param name="histogram">The snapshot in microseconds.</param>
    /// <param name="cumulative">The counts per bound.</param>
    public static void Cumulative(HistogramSnapshot histogram, Span<long> cumulative)
    {
        var bounds = UpperBoundsMicros;
        cumulative[..bounds.Length].Clear();
        var j = 0;
        foreach (var bucket in histogram.Buckets)
        {
            // A value bucket counts below bound j when all of its values are (its highest equivalent value).
            while (j < bounds.Length && bounds[j] < bucket.HighestValue)
            {
                j++;
            }

            if (j == bounds.Length)
            {
                break;
            }

            cumulative[j] += bucket.Count;
        }

        for (var i = 1; i < bounds.Length; i++)
        {
            cumulative[i] += cumulative[i - 1];
        }
    }

    /// <summary>Returns the index of the bucket an observed value falls in (<see cref="Count"/> for +Inf).</summary>
    /// <param name="seconds">The value.</param>
    /// <returns>The index.</returns>
    public static int IndexOf(double seconds)
    {
        var micros = seconds * 1e6;
        var index = Array.BinarySearch(UpperBoundsMicros, (long)Math.Ceiling(micros));
        return index >= 0 ? index : ~index;
    }

    private static long[] CreateBounds()
    {
        var bounds = new List<long>();
        for (var i = 0; ; i++)
        {
            var bound = (long)Math.Round(LowestMicros * Math.Pow(2, i / (double)PerDoubling));
            bounds.Add(bound);
            if (bound >= HighestMicros)
            {
                return [.. bounds];
            }
        }
    }
}
