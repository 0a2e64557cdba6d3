namespace LoadLab.Compare.Statistics;

/// <summary>The Hodges-Lehmann shift estimate with its confidence interval.</summary>
/// <param name="Shift">The median of all pairwise differences candidate - baseline.</param>
/// <param name="Lower">The lower bound of the interval.</param>
/// <param name="Upper">The upper bound of the interval.</param>
/// <param name="Level">The confidence level.</param>
public readonly record struct HodgesLehmannResult(double Shift, double Lower, double Upper, double Level);

/// <summary>
/// The Hodges-Lehmann estimate of the shift between two samples (Hodges and Lehmann 1963): the
/// median of the n1 x n2 differences y - x, with the distribution-free interval of Lehmann (order
/// statistics C and n1 n2 + 1 - C of the differences, C from the Mann-Whitney null distribution).
/// The differences are weighted bucket pairs; the k-th smallest is found by bisection on the
/// difference, counting the pairs at or below it with one merge pass over the sorted buckets, so
/// the cost is O((b1 + b2) x log(range / precision)), never O(n1 n2).
/// </summary>
public static class HodgesLehmann
{
    /// <summary>Estimates the shift of <paramref name="candidate"/> relative to <paramref name="baseline"/>.</summary>
    /// <param name="baseline">The baseline (x).</param>
    /// <param name="candidate">The candidate (y).</param>
    /// <param name="level">The confidence level of the interval, e.g. 0.99.</param>
    /// <returns>The estimate and interval.</returns>
    /// <exception cref="ArgumentException">A distribution is empty.</exception>
    public static HodgesLehmannResult Estimate(Distribution baseline, Distribution candidate, double level)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.IsEmpty || candidate.IsEmpty)
        {
            throw new ArgumentException("Both distributions need at least one value.");
        }

        double n1 = baseline.TotalCount, n2 = candidate.TotalCount;
        var pairs = n1 * n2;

        // The median of the weighted differences: the mean of the two middle ones when their number is even.
        var lowMid = Math.Floor((pairs + 1) / 2);
        var highMid = Math.Floor((pairs / 2) + 1);
        var low = KthDifference(baseline, candidate, lowMid);
        var high = lowMid == highMid || CountAtOrBelow(baseline, candidate, low) >= highMid
            ? low
            : SmallestDifferenceAbove(baseline, candidate, low);
        var shift = (low + high) / 2;

        // C = n1 n2 / 2 - z sd(U), with the tie-corrected sd of the Mann-Whitney statistic.
        var mw = MannWhitney.Test(baseline, candidate);
        var z = Normal.Quantile(1 - ((1 - level) / 2));
        var c = Math.Clamp(Math.Round((pairs / 2) - (z * mw.StandardDeviation)), 1, pairs);
        var lower = KthDifference(baseline, candidate, c);
        var upper = KthDifference(baseline, candidate, pairs + 1 - c);
        return new HodgesLehmannResult(shift, lower, upper, level);
    }

    /// <summary>Gets the k-th smallest (1-based) of the weighted differences y - x.</summary>
    internal static double KthDifference(Distribution x, Distribution y, double k)
    {
        var xv = x.Values;
        var yv = y.Values;
        var lo = yv[0] - xv[^1];
        var hi = yv[^1] - xv[0];
        if (CountAtOrBelow(x, y, lo) >= k)
        {
            return lo;
        }

        // Invariant: count(lo) < k <= count(hi), so the answer lies in (lo, hi]. Narrow the interval,
        // then snap to the smallest difference above lo: no difference lies in (lo, answer).
        var precision = Math.Max(1e-3, Math.Abs(hi) * 1e-12);
        for (var iteration = 0; iteration < 200 && hi - lo > precision; iteration++)
        {
            var mid = lo + ((hi - lo) / 2);
            if (CountAtOrBelow(x, y, mid) >= k)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return SmallestDifferenceAbove(x, y, lo);
    }

    /// <summary>The weighted number of pairs with y - x &lt;= d.</summary>
    internal static double CountAtOrBelow(Distribution x, Distribution y, double d)
    {
        var xv = x.Values;
        var xc = x.Counts;
        var yv = y.Values;
        var yc = y.Counts;
        double total = 0, xAtOrAbove = x.TotalCount;
        var i = 0;

        // y_j - x_i <= d  <=>  x_i >= y_j - d; the threshold grows with j, so i only moves forward.
        for (var j = 0; j < yv.Length; j++)
        {
            var threshold = yv[j] - d;
            while (i < xv.Length && xv[i] < threshold)
            {
                xAtOrAbove -= xc[i++];
            }

            total += yc[j] * xAtOrAbove;
        }

        return total;
    }

    /// <summary>The smallest difference y_j - x_i that is greater than <paramref name="d"/>.</summary>
    private static double SmallestDifferenceAbove(Distribution x, Distribution y, double d)
    {
        var xv = x.Values;
        var yv = y.Values;
        var best = double.PositiveInfinity;
        var i = xv.Length - 1;

        // For each y_j the largest x_i < y_j - d gives its smallest difference above d; that bound
        // falls as y_j falls, so walk j and i down together.
        for (var j = yv.Length - 1; j >= 0; j--)
        {
            var limit = yv[j] - d;
            while (i >= 0 && xv[i] >= limit)
            {
                i--;
            }

            if (i < 0)
            {
                break;
            }

            best = Math.Min(best, yv[j] - xv[i]);
        }

        return double.IsPositiveInfinity(best) ? d : best;
    }
}
