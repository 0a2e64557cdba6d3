namespace LoadLab.Compare.Statistics;

/// <summary>The result of a Mann-Whitney U test of a candidate against a baseline.</summary>
/// <param name="U">U of the candidate: pairs (baseline, candidate) where the candidate is larger, ties counted half.</param>
/// <param name="Mean">The mean of U under the null hypothesis: n1 n2 / 2.</param>
/// <param name="StandardDeviation">The tie-corrected standard deviation of U under the null hypothesis.</param>
/// <param name="Z">(U - mean) / sd with a continuity correction of 0.5 towards the mean.</param>
/// <param name="PTwoSided">The two-sided p-value.</param>
/// <param name="PHigher">The one-sided p-value for "the candidate is larger".</param>
/// <param name="PLower">The one-sided p-value for "the candidate is smaller".</param>
public readonly record struct MannWhitneyResult(double U, double Mean, double StandardDeviation, double Z, double PTwoSided, double PHigher, double PLower);

/// <summary>
/// The Mann-Whitney U test (Mann and Whitney 1947) computed from bucket counts: every bucket is a
/// tie group whose values get the group's mid-rank; the variance is tie-corrected and the p-values
/// come from the normal approximation with a continuity correction. Cost: O(buckets), not O(values).
/// </summary>
public static class MannWhitney
{
    /// <summary>Tests whether <paramref name="candidate"/> differs from <paramref name="baseline"/>.</summary>
    /// <param name="baseline">The baseline distribution (sample 1).</param>
    /// <param name="candidate">The candidate distribution (sample 2).</param>
    /// <returns>The test result.</returns>
    /// <exception cref="ArgumentException">A distribution is empty.</exception>
    public static MannWhitneyResult Test(Distribution baseline, Distribution candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.IsEmpty || candidate.IsEmpty)
        {
            throw new ArgumentException("Both distributions need at least one value.");
        }

        double n1 = baseline.TotalCount, n2 = candidate.TotalCount, n = n1 + n2;
        var xv = baseline.Values;
        var xc = baseline.Counts;
        var yv = candidate.Values;
        var yc = candidate.Counts;
        int i = 0, j = 0;
        double below = 0, rankSumY = 0, tieTerm = 0;
        while (i < xv.Length || j < yv.Length)
        {
            // The next distinct value and how many of each sample share it (one tie group).
            var value = Math.Min(i < xv.Length ? xv[i] : double.PositiveInfinity, j < yv.Length ? yv[j] : double.PositiveInfinity);
            double cx = 0, cy = 0;
            while (i < xv.Length && xv[i] == value)
            {
                cx += xc[i++];
            }

            while (j < yv.Length && yv[j] == value)
            {
                cy += yc[j++];
            }

            var t = cx + cy;
            var midRank = below + ((t + 1) / 2);
            rankSumY += cy * midRank;
            tieTerm += (t * t * t) - t;
            below += t;
        }

        var u = rankSumY - (n2 * (n2 + 1) / 2);
        var mean = n1 * n2 / 2;
        var variance = n1 * n2 / 12 * ((n + 1) - (tieTerm / (n * (n - 1))));
        if (!(variance > 0))
        {
            // Every value tied: no evidence of any difference.
            return new MannWhitneyResult(u, mean, 0, 0, 1, 1, 1);
        }

        var sd = Math.Sqrt(variance);
        var diff = u - mean;
        var z = diff > 0 ? Math.Max(0, diff - 0.5) / sd : Math.Min(0, diff + 0.5) / sd;
        var pHigher = Normal.UpperTail((diff - 0.5) / sd);
        var pLower = Normal.Cdf((diff + 0.5) / sd);
        var pTwo = Math.Min(1, 2 * Normal.UpperTail(Math.Abs(z)));
        return new MannWhitneyResult(u, mean, sd, z, pTwo, Math.Min(1, pHigher), Math.Min(1, pLower));
    }
}
