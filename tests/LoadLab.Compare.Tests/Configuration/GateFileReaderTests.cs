using LoadLab.Compare.Configuration;

namespace LoadLab.Compare.Tests.Configuration;

public class GateFileReaderTests
{
    [Fact]
    public void Ctor_EnsureDefaults()
    {
        var o = new ComparisonOptions();

        Assert.Equal(0.01, o.Alpha);
        Assert.Equal(0.7, o.EffectConfidence);
        Assert.Equal(95, o.PassScore);
        Assert.Equal(75, o.MarginalScore);
        Assert.Equal("response_time", o.Latency);
        Assert.Equal(1000, o.BootstrapResamples);
        Assert.Equal("p95", o.Metrics["latency"].Statistic);
        Assert.Equal(0.05, o.Metrics["latency"].Tolerance);
        Assert.True(o.Metrics["latency"].Critical);
        Assert.True(o.Metrics["error_rate"].Critical);
        Assert.Equal(0.01, o.Metrics["error_rate"].Tolerance);
        Assert.False(o.Metrics["throughput"].Critical);
        Assert.Equal(CompareConstants.MetricNames.Order(), o.Metrics.Keys.Order());
    }

    [Fact]
    public void Parse_FullFile_SetsEverything()
    {
        const string yaml = """
            alpha: 0.05
            effect_confidence: 0.5
            latency: service_time
            score: { pass: 90, marginal: 60 }
            bootstrap: { resamples: 200, seed: 7 }
            metrics:
              latency: { statistic: p99, tolerance: 10%, critical: false }
              error_rate: { tolerance: 0.5% }
              business: { good_outcomes: [approved] }
            overrides:
              - { scenario: browse_catalog, step: /v1/items, metric: latency, tolerance: "+20%" }
            """;

        var o = GateFileReader.Parse(yaml, "gate.yaml");

        Assert.Equal(0.05, o.Alpha);
        Assert.Equal(0.5, o.EffectConfidence);
        Assert.Equal("service_time", o.Latency);
        Assert.Equal((90.0, 60.0), (o.PassScore, o.MarginalScore));
        Assert.Equal((200, 7), (o.BootstrapResamples, o.Seed));
        Assert.Equal("p99", o.Metrics["latency"].Statistic);
        Assert.Equal(0.10, o.Metrics["latency"].Tolerance, 12);
        Assert.False(o.Metrics["latency"].Critical);
        Assert.Equal(0.005, o.Metrics["error_rate"].Tolerance, 12);
        Assert.Equal(["approved"], o.GoodOutcomes);
        Assert.Equal(0.20, o.Resolve("latency", "browse_catalog", "/v1/items").Tolerance, 12);
        Assert.Equal(0.10, o.Resolve("latency", "browse_catalog", "/v1/cart").Tolerance, 12);
    }

    [Theory]
    [InlineData("metrics:\n  latnecy: { tolerance: 5% }\n", "Gate file 'gate.yaml' line 2, column 3: unknown field 'metrics.latnecy'; expected one of: latency, error_rate, throughput, dropped_iterations, checks, business.")]
    [InlineData("metrics:\n  latency: { tolerance: fast }\n", "Gate file 'gate.yaml' line 2, column 25: field 'metrics.latency.tolerance': expected a non-negative percentage like 5% or a fraction like 0.05, got 'fast'.")]
    [InlineData("alpha: 2\n", "Gate file 'gate.yaml' line 1, column 8: field 'alpha': expected a number between 1E-09 and 0.5, got '2'.")]
    [InlineData("metrics:\n  latency: { statistic: p97 }\n", "Gate file 'gate.yaml' line 2, column 25: field 'metrics.latency.statistic': expected one of p50, p75, p90, p95, p99, p999, hl_shift, got 'p97'.")]
    [InlineData("score: { pass: 50, marginal: 80 }\n", "Gate file 'gate.yaml': score.marginal (80) must not exceed score.pass (50).")]
    [InlineData("overrides:\n  - { metric: errors }\n", "Gate file 'gate.yaml' line 2, column 15: field 'overrides[0].metric': expected one of latency, error_rate, throughput, dropped_iterations, checks, business, got 'errors'.")]
    [InlineData("alpha: [1\n", "Gate file 'gate.yaml' line 2, column 1: not valid YAML:")]
    [InlineData("tolerance: 5%\n", "Gate file 'gate.yaml' line 1, column 1: unknown field 'tolerance'; expected one of: alpha, effect_confidence, latency, score, bootstrap, metrics, overrides.")]
    public void Parse_InvalidFile_ThrowsWithFileLineAndField(string yaml, string expected)
    {
        var e = Assert.Throws<CompareInputException>(() => GateFileReader.Parse(yaml, "gate.yaml"));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingIt()
    {
        var e = Assert.Throws<CompareInputException>(() => GateFileReader.Read("/nonexistent/gate.yaml"));

        Assert.StartsWith("Gate file '/nonexistent/gate.yaml' cannot be read:", e.Message, StringComparison.Ordinal);
    }
}
