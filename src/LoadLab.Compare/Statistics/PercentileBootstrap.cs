namespace LoadLab.Compare.Statistics;

/// <summary>A percentile delta with its bootstrap intervals.</summary>
/// <param name="Percentile">The percentile, e.g. 95.</param>
/// <param name="Baseline">The baseline value.</param>
/// <param name="Candidate">The candidate value.</param>
/// <param name="DeltaLower">The lower bound of candidate - baseline.</param>
/// <param name="DeltaUpper">The upper bound of candidate - baseline.</param>
/// <param name="RelativeLower">The lower bound of candidate / baseline - 1.</param>
/// <param name="RelativeUpper">The upper bound of candidate / baseline - 1.</param>
/// <param name="Level">The confidence level.</param>
/// <param name="RelativeEffectLower">The one-sided lower bound of the relative change at the effect confidence.</param>
/// <param name="RelativeEffectUpper">The one-sided upper bound of the relative change at the effect confidence.</param>
public readonly record struct PercentileInterval(double Percentile, double Baseline, double Candidate, double DeltaLower, double DeltaUpper, double RelativeLower, double RelativeUpper, double Level, double RelativeEffectLower, double RelativeEffectUpper);

/// <summary>
/// Bootstrap intervals for percentile deltas, resampled from the histograms. A multinomial
/// resample of n values from a histogram puts its k-th smallest value in bucket b exactly when at
/// least k of the n draws fall at or below b; with the k-th smallest of n uniform draws, which is
/// Beta(k, n - k + 1) distributed, that is the first bucket whose cumulative share reaches the
/// Beta draw. So the resampled percentile of a full multinomial resample is drawn exactly with one
/// Beta variate and one binary search, whatever n is (the percentile bootstrap of Efron 1979).
/// </summary>
public sealed class PercentileBootstrap
{
    private readonly Random _random;

    /// <summary>Initializes a new instance of the <see cref="PercentileBootstrap"/> class.</summary>
    /// <param name="seed">The seed, so that reports are reproducible.</param>
    public PercentileBootstrap(int seed)
    {
#pragma warning disable CA5394 // Statistical resampling, not security: a seeded Random keeps reports reproducible.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>Computes the percentile's delta interval from <paramref name="resamples"/> paired resamples.</summary>
    /// <param name="baseline">The baseline.</param>
    /// <param name="candidate">The candidate.</param>
    /// <param name="percentile">The percentile (0..100).</param>
    /// <param name="resamples">How many resamples, e.g. 1,000.</param>
    /// <param name="level">The confidence level, e.g. 0.99.</param>
    /// <param name="effectConfidence">The confidence of the one-sided effect bounds, e.g. 0.7.</param>
    /// <returns>The point values and intervals.</returns>
    /// <exception cref="ArgumentException">A distribution is empty.</exception>
    public PercentileInterval Interval(Distribution baseline, Distribution candidate, double percentile, int resamples, double level, double effectConfidence = 0.7)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.IsEmpty || candidate.IsEmpty)
        {
            throw new ArgumentException("Both distributions need at least one value.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var deltas = new double[resamples];
        var ratios = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var b = Resample(baseline, percentile);
            var c = Resample(candidate, percentile);
            deltas[r] = c - b;
            ratios[r] = b == 0 ? 0 : (c / b) - 1;
        }

        Array.Sort(deltas);
        Array.Sort(ratios);
        var tail = (1 - level) / 2;
        return new PercentileInterval(
            percentile,
            baseline.Percentile(percentile),
            candidate.Percentile(percentile),
            Quantile(deltas, tail),
            Quantile(deltas, 1 - tail),
            Quantile(ratios, tail),
            Quantile(ratios, 1 - tail),
            level,
            Quantile(ratios, 1 - effectConfidence),
            Quantile(ratios, effectConfidence));
    }

    /// <summary>Draws the percentile of one multinomial resample of the distribution.</summary>
    /// <param name="distribution">The distribution.</param>
    /// <param name="percentile">The percentile.</param>
    /// <returns>The resampled percentile.</returns>
    public double Resample(Distribution distribution, double percentile)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var n = distribution.TotalCount;
        var k = Distribution.RankOf(percentile, n);
        var u = Beta(k, n - k + 1);
        return distribution.ValueAtShare(u);
    }

    /// <summary>The empirical quantile of sorted values (linear interpolation between order statistics).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private double Beta(double a, double b)
    {
        var x = Gamma(a);
        var y = Gamma(b);
        return x / (x + y);
    }

    /// <summary>A Gamma(shape, 1) variate for shape &gt;= 1 (Marsaglia and Tsang 2000).</summary>
    private double Gamma(double shape)
    {
        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal();
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
#pragma warning disable CA5394 // See the constructor.
            var u = _random.NextDouble();
#pragma warning restore CA5394
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    private double StandardNormal()
    {
#pragma warning disable CA5394 // See the constructor.
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
#pragma warning restore CA5394
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
