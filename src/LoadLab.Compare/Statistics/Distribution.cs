using LoadLab.Histograms;

namespace LoadLab.Compare.Statistics;

/// <summary>
/// A latency distribution as sorted, non-overlapping buckets with counts (microseconds). Each
/// bucket is one tie group for the rank statistics (its values are indistinguishable); its
/// representative value is its middle, and percentiles report its upper bound, as HdrHistogram does.
/// </summary>
public sealed class Distribution
{
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly double[] _value;
    private readonly long[] _counts;
    private readonly long[] _cumulative;

    /// <summary>Initializes a new instance of the <see cref="Distribution"/> class.</summary>
    /// <param name="buckets">Buckets (lower, upper, count); empty ones are dropped, the rest sorted by lower bound.</param>
    public Distribution(IEnumerable<(double Lower, double Upper, long Count)> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var sorted = buckets.Where(b => b.Count > 0).OrderBy(b => b.Lower).ThenBy(b => b.Upper).ToList();
        _lower = new double[sorted.Count];
        _upper = new double[sorted.Count];
        _value = new double[sorted.Count];
        _counts = new long[sorted.Count];
        _cumulative = new long[sorted.Count];
        long total = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var (lower, upper, count) = sorted[i];
            ArgumentOutOfRangeException.ThrowIfLessThan(upper, lower);
            _lower[i] = lower;
            _upper[i] = upper;
            _value[i] = (lower + upper) / 2;
            _counts[i] = count;
            total += count;
            _cumulative[i] = total;
        }

        TotalCount = total;
    }

    /// <summary>Gets an empty distribution.</summary>
    public static Distribution Empty { get; } = new([]);

    /// <summary>Gets the number of values.</summary>
    public long TotalCount { get; }

    /// <summary>Gets the number of non-empty buckets.</summary>
    public int BucketCount => _counts.Length;

    /// <summary>Gets a value indicating whether there are no values.</summary>
    public bool IsEmpty => TotalCount == 0;

    internal ReadOnlySpan<double> Values => _value;

    internal ReadOnlySpan<long> Counts => _counts;

    internal ReadOnlySpan<double> Uppers => _upper;

    internal ReadOnlySpan<double> Lowers => _lower;

    /// <summary>Creates a distribution from an HdrHistogram snapshot: each HdrHistogram bucket [low, high] keeps its integer range.</summary>
    /// <param name="histogram">The histogram.</param>
    /// <returns>The distribution.</returns>
    public static Distribution FromHistogram(HistogramSnapshot histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);

        // An HdrHistogram bucket holds the integers low..high. Its representative (low + high) / 2 is
        // HdrHistogram's middle minus 0.5 for every bucket, so differences between runs are unchanged.
        return new Distribution(histogram.Buckets.Select(b => ((double)b.LowestValue, (double)b.HighestValue, b.Count)));
    }

    /// <summary>Creates a distribution from single values (each value its own bucket of width zero).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The distribution.</returns>
    public static Distribution FromValues(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Distribution(values.GroupBy(v => v).Select(g => (g.Key, g.Key, (long)g.Count())));
    }

    /// <summary>Adds distributions bucket by bucket (buckets with the same bounds are summed).</summary>
    /// <param name="distributions">The distributions.</param>
    /// <returns>The merged distribution.</returns>
    public static Distribution Merge(IEnumerable<Distribution> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var sums = new Dictionary<(double, double), long>();
        foreach (var d in distributions)
        {
            for (var i = 0; i < d._counts.Length; i++)
            {
                var key = (d._lower[i], d._upper[i]);
                sums[key] = sums.GetValueOrDefault(key) + d._counts[i];
            }
        }

        return new Distribution(sums.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value)));
    }

    /// <summary>
    /// Gets the value at a percentile with HdrHistogram's definition: the upper bound of the
    /// bucket holding the value of rank max(1, round(p/100 x n)).
    /// </summary>
    /// <param name="percentile">Between 0 and 100.</param>
    /// <returns>The value, or 0 when empty.</returns>
    public double Percentile(double percentile)
    {
        if (IsEmpty)
        {
            return 0;
        }

        return ValueAtRank(RankOf(percentile, TotalCount));
    }

    /// <summary>Gets the median (the value of the 50th percentile).</summary>
    public double Median => Percentile(50);

    /// <summary>Gets the buckets (lower, upper, count) in ascending order.</summary>
    /// <returns>The buckets.</returns>
    public IEnumerable<(double Lower, double Upper, long Count)> Buckets()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            yield return (_lower[i], _upper[i], _counts[i]);
        }
    }

    internal static long RankOf(double percentile, long n) => Math.Clamp((long)((percentile / 100.0 * n) + 0.5), 1, n);

    internal double ValueAtRank(long rank)
    {
        var index = Array.BinarySearch(_cumulative, rank);
        if (index < 0)
        {
            index = ~index;
        }

        return _upper[Math.Min(index, _upper.Length - 1)];
    }

    /// <summary>Gets the upper bound of the first bucket whose cumulative share reaches <paramref name="share"/> (0..1).</summary>
    internal double ValueAtShare(double share)
    {
        // The smallest bucket b with cumulative(b) >= share x n.
        var target = share * TotalCount;
        int lo = 0, hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_cumulative[mid] >= target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return _upper[lo];
    }
}
