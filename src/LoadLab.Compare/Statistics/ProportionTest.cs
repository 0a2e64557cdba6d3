namespace LoadLab.Compare.Statistics;

/// <summary>The result of a test comparing two proportions or two rates.</summary>
/// <param name="Baseline">The baseline proportion or rate.</param>
/// <param name="Candidate">The candidate proportion or rate.</param>
/// <param name="Z">The z statistic (positive when the candidate is higher).</param>
/// <param name="PHigher">The one-sided p-value for "the candidate is higher".</param>
/// <param name="PLower">The one-sided p-value for "the candidate is lower".</param>
/// <param name="PTwoSided">The two-sided p-value.</param>
public readonly record struct ProportionResult(double Baseline, double Candidate, double Z, double PHigher, double PLower, double PTwoSided);

/// <summary>Tests on counts: two proportions (pooled z-test) and two Poisson rates.</summary>
public static class ProportionTest
{
    /// <summary>
    /// The two-proportion z-test with the pooled variance: z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)),
    /// p = (x1 + x2) / (n1 + n2).
    /// </summary>
    /// <param name="baselineEvents">Events (e.g. errors) in the baseline.</param>
    /// <param name="baselineTotal">Trials in the baseline.</param>
    /// <param name="candidateEvents">Events in the candidate.</param>
    /// <param name="candidateTotal">Trials in the candidate.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A total is not positive or events exceed it.</exception>
    public static ProportionResult TwoProportions(long baselineEvents, long baselineTotal, long candidateEvents, long candidateTotal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baselineTotal, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateTotal, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(baselineEvents);
        ArgumentOutOfRangeException.ThrowIfNegative(candidateEvents);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(baselineEvents, baselineTotal);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(candidateEvents, candidateTotal);
        var p1 = (double)baselineEvents / baselineTotal;
        var p2 = (double)candidateEvents / candidateTotal;
        var pooled = (double)(baselineEvents + candidateEvents) / (baselineTotal + candidateTotal);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / baselineTotal) + (1.0 / candidateTotal)));
        return FromZ(p1, p2, se);
    }

    /// <summary>
    /// Compares two Poisson rates (events per second) with the normal approximation
    /// z = (r2 - r1) / sqrt(x1 / t1^2 + x2 / t2^2).
    /// </summary>
    /// <param name="baselineEvents">Events in the baseline.</param>
    /// <param name="baselineSeconds">The baseline's duration.</param>
    /// <param name="candidateEvents">Events in the candidate.</param>
    /// <param name="candidateSeconds">The candidate's duration.</param>
    /// <returns>The result (rates per second).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A duration is not positive.</exception>
    public static ProportionResult TwoRates(long baselineEvents, double baselineSeconds, long candidateEvents, double candidateSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baselineSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(candidateSeconds);
        var r1 = baselineEvents / baselineSeconds;
        var r2 = candidateEvents / candidateSeconds;
        var se = Math.Sqrt((baselineEvents / (baselineSeconds * baselineSeconds)) + (candidateEvents / (candidateSeconds * candidateSeconds)));
        return FromZ(r1, r2, se);
    }

    private static ProportionResult FromZ(double baseline, double candidate, double se)
    {
        if (!(se > 0))
        {
            return new ProportionResult(baseline, candidate, 0, 1, 1, 1);
        }

        var z = (candidate - baseline) / se;
        return new ProportionResult(baseline, candidate, z, Normal.UpperTail(z), Normal.Cdf(z), Math.Min(1, 2 * Normal.UpperTail(Math.Abs(z))));
    }
}
