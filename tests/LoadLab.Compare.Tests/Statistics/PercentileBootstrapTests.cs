using LoadLab.Compare.Statistics;
using LoadLab.Histograms;

namespace LoadLab.Compare.Tests.Statistics;

public class PercentileBootstrapTests
{
    [Fact]
    public void Resample_DistributionOfResampledPercentile_MatchesNaiveMultinomialResampling()
    {
        // Independent check of the Beta shortcut: resample 60 values naively (with replacement),
        // take their p90 with the same definition, and compare the frequency of each outcome.
        double[] values = [1, 1, 2, 3, 3, 3, 4, 5, 6, 8, 8, 9, 12, 12, 15, 20, 20, 20, 25, 40];
        var sample = Enumerable.Range(0, 60).Select(i => values[i % values.Length]).ToArray();
        var distribution = Distribution.FromValues(sample);
        const int draws = 20_000;
        var naive = new Dictionary<double, int>();
        var random = new Random(3);
        var buffer = new double[sample.Length];
        for (var i = 0; i < draws; i++)
        {
            for (var j = 0; j < buffer.Length; j++)
            {
                buffer[j] = sample[random.Next(sample.Length)];
            }

            var p90 = Distribution.FromValues(buffer).Percentile(90);
            naive[p90] = naive.GetValueOrDefault(p90) + 1;
        }

        var bootstrap = new PercentileBootstrap(11);
        var shortcut = new Dictionary<double, int>();
        for (var i = 0; i < draws; i++)
        {
            var p90 = bootstrap.Resample(distribution, 90);
            shortcut[p90] = shortcut.GetValueOrDefault(p90) + 1;
        }

        foreach (var key in naive.Keys.Union(shortcut.Keys))
        {
            var a = naive.GetValueOrDefault(key) / (double)draws;
            var b = shortcut.GetValueOrDefault(key) / (double)draws;
            Assert.True(Math.Abs(a - b) < 0.015, $"p90 = {key}: naive {a:0.000}, shortcut {b:0.000}");
        }
    }

    [Fact]
    public void Interval_SameSeed_IsReproducibleAndCoversPointEstimate()
    {
        var random = new Random(5);
        var x = Distribution.FromValues(Enumerable.Range(0, 2000).Select(_ => Math.Round(Math.Exp(random.NextDouble() * 3) * 100)));
        var y = Distribution.FromValues(Enumerable.Range(0, 2000).Select(_ => Math.Round(Math.Exp(random.NextDouble() * 3) * 120)));

        var a = new PercentileBootstrap(1).Interval(x, y, 95, 500, 0.99);
        var b = new PercentileBootstrap(1).Interval(x, y, 95, 500, 0.99);

        Assert.Equal(a, b);
        Assert.InRange(a.Candidate - a.Baseline, a.DeltaLower, a.DeltaUpper);
        Assert.True(a.RelativeLower > 0, "a 20% scale-up is clearly above zero");
    }

    [Fact]
    public void Percentile_MatchesHdrHistogramDefinition()
    {
        var builder = new HistogramSnapshotBuilder();
        var random = new Random(9);
        for (var i = 0; i < 5000; i++)
        {
            builder.Record((long)(Math.Exp(random.NextDouble() * 8) * 50));
        }

        var histogram = builder.Build();
        var distribution = Distribution.FromHistogram(histogram);
        foreach (var p in new[] { 1.0, 50, 90, 95, 99, 99.9, 100 })
        {
            Assert.Equal(histogram.GetValueAtPercentile(p), distribution.Percentile(p));
        }
    }
}
