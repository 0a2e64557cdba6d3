using LoadLab.Engine.Thresholds;

namespace LoadLab.Engine.Tests.Thresholds;

public class ThresholdSpecTests
{
    [Theory]
    [InlineData("p95(response_time) < 300ms", 0.3, 95)]
    [InlineData("p99.9(service_time) <= 1s", 1.0, 99.9)]
    [InlineData("p999(response_time) < 2s", 2.0, 99.9)]
    [InlineData("p50(response_time) < 250", 0.25, 50)]
    public void Parse_Latency_ReadsPercentileAndBoundInSeconds(string expr, double bound, double percentile)
    {
        var p = ThresholdSpec.Parse(expr).Parsed;
        Assert.Equal(ThresholdMetric.Percentile, p.Metric);
        Assert.Equal(bound, p.Bound, 9);
        Assert.Equal(percentile, p.Percentile, 9);
    }

    [Fact]
    public void Parse_StepScoped_ReadsTheStep()
    {
        var p = ThresholdSpec.Parse("mean(response_time{step=\"authorize\"}) < 200ms").Parsed;
        Assert.Equal("authorize", p.Step);
        Assert.Equal(ThresholdMetric.Mean, p.Metric);
    }

    [Theory]
    [InlineData("error_rate < 1%", "ErrorRate", 0.01)]
    [InlineData("checks > 0.99", "Checks", 0.99)]
    [InlineData("rps >= 100", "Rps", 100)]
    [InlineData("dropped_iterations == 0", "Dropped", 0)]
    [InlineData("payment.declined < 10%", "BusinessShare", 0.1)]
    [InlineData("count(payment.approved) > 5", "BusinessCount", 5)]
    public void Parse_Rates_ReadsMetricAndBound(string expr, string metric, double bound)
    {
        var p = ThresholdSpec.Parse(expr).Parsed;
        Assert.Equal(metric, p.Metric.ToString());
        Assert.Equal(bound, p.Bound, 9);
    }

    [Theory]
    [InlineData("p95(response_time) <", "is not a threshold")]
    [InlineData("p95(latency) < 3ms", "unknown metric 'p95(latency)'")]
    [InlineData("p95(response_time) < fast", "'fast' is not a duration")]
    [InlineData("error_rate < lots", "'lots' is not a ratio")]
    [InlineData("p0(response_time) < 1s", "percentile p0 must be between")]
    public void Parse_Invalid_SaysWhatWasExpected(string expr, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ThresholdSpec.Parse(expr));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<", 1, 2, true)]
    [InlineData("<", 2, 2, false)]
    [InlineData(">=", 2, 2, true)]
    [InlineData("!=", 3, 2, true)]
    public void Holds_ComparesWithTheOperator(string op, double value, double bound, bool holds)
    {
        var p = ThresholdSpec.Parse($"rps {op} {bound}").Parsed;
        Assert.Equal(holds, p.Holds(value));
    }
}
