using LoadLab.Compare.Model;
using LoadLab.Compare.Output;
using LoadLab.Compare.Prometheus;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Compare.Tests.Prometheus;

public class PrometheusCompareTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    private async Task<(int Code, string Out, string Err)> Compare(string baseline, string candidate, string format = "json", string range = "1h")
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CompareRunner.RunAsync(
            new CompareRequest { Prometheus = prometheus.Url, BaselineSelector = baseline, CandidateSelector = candidate, Range = range, Format = format, Time = prometheus.EvaluationTime },
            stdout,
            stderr,
            null,
            CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Compare_ItemsRegressedInPrometheus_StepRegressedCartPassExitFour()
    {
        var (code, output, err) = await Compare("release=\"1.4.1\"", "{release=\"1.4.2\"}");

        Assert.True(code == 4, err + output);
        var report = JsonRenderer.Parse(output);
        Assert.Equal("prometheus", report.Source);
        Assert.Equal("1.4.2", report.Candidate.Release);
        var steps = report.Scenarios.Single().Steps;
        var items = steps.Single(s => s.Name == "/v1/items").Metrics.Single(m => m.Metric == "latency");
        var cart = steps.Single(s => s.Name == "/v1/cart").Metrics.Single(m => m.Metric == "latency");
        Assert.Equal(Classification.Regressed, items.Classification);
        Assert.Equal(PrometheusFixture.Samples, items.Latency!.CandidateCount);
        Assert.InRange(items.Latency.RelativeShift!.Value, 0.12, 0.28);
        Assert.Equal(Classification.Pass, cart.Classification);
        var errors = steps.Single(s => s.Name == "/v1/items").Metrics.Single(m => m.Metric == "error_rate");
        Assert.Equal(PrometheusFixture.CandidateFails / (double)(PrometheusFixture.Samples + PrometheusFixture.CandidateFails), errors.Candidate!.Value, 6);
        Assert.Equal(Classification.Pass, errors.Classification);
        Assert.Equal(Classification.NoData, report.Scenarios[0].Metrics.Single(m => m.Metric == "throughput").Classification);
    }

    [Fact]
    public async Task Compare_SameReleaseInPrometheus_PassExitZero()
    {
        var (code, output, err) = await Compare("release=\"1.4.1\"", "release=\"1.4.1\"", "table");

        Assert.True(code == 0, err + output);
        Assert.Contains("Verdict: PASS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_SelectorWithoutData_ExitTwoNamingSelector()
    {
        var (code, _, err) = await Compare("release=\"1.4.1\"", "release=\"9.9.9\"");

        Assert.Equal(2, code);
        Assert.Contains("has no loadlab iterations for {release=\"9.9.9\"}", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_BadRange_ExitTwo()
    {
        var (code, _, err) = await Compare("release=\"1.4.1\"", "release=\"1.4.2\"", range: "an hour");

        Assert.Equal(2, code);
        Assert.Contains("--range 'an hour' is not a Prometheus duration", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_UnreachablePrometheus_ExitTwo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var url = $"http://127.0.0.1:{ServerProcess.GetFreePort()}";

        var code = await CompareRunner.RunAsync(
            new CompareRequest { Prometheus = url, BaselineSelector = "release=\"a\"", CandidateSelector = "release=\"b\"" }, stdout, stderr, null, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("cannot be reached", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromCumulativeBuckets_LeBuckets_PerBucketCountsInMicroseconds()
    {
        var d = PrometheusRunSource.FromCumulativeBuckets([(0.2, 8), (0.1, 5), (double.PositiveInfinity, 10)]);

        Assert.Equal(
            [(0.0, 100_000.0, 5L), (100_000.0, 200_000.0, 3L), (200_000.0, 200_000.0, 2L)],
            d.Buckets().ToList());
    }

    [Fact]
    public void CounterIncrease_SeriesBornInRange_CountsTheFirstSampleFromZero()
    {
        // A remote-written run: its first sample already holds the first second's 100 requests.
        Assert.Equal(300, PrometheusRunSource.CounterIncrease(null, [100, 200, 300, 300]));
    }

    [Fact]
    public void CounterIncrease_SeriesOlderThanRange_CountsFromItsValueAtTheStart()
    {
        Assert.Equal(150, PrometheusRunSource.CounterIncrease(150, [200, 300]));
    }

    [Fact]
    public void CounterIncrease_CounterReset_CountsTheNewRunFromZero()
    {
        // Two runs with the same labels (run_id switched off): 300 in the first, 120 in the second.
        Assert.Equal(420, PrometheusRunSource.CounterIncrease(null, [100, 300, 50, 120]));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("2h30m", 9000)]
    [InlineData("1m500ms", 60.5)]
    [InlineData("1w1d", 691200)]
    public void ParseDuration_PromQlDurations_Seconds(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PrometheusRunSource.ParseDuration(text));
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("1.5h")]
    [InlineData("h")]
    [InlineData("101y")]
    [InlineData("99999999999999d")]
    public void ParseDuration_NotAPositiveDuration_Throws(string text)
    {
        var e = Assert.Throws<CompareInputException>(() => PrometheusRunSource.ParseDuration(text));

        Assert.StartsWith($"--range '{text}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("release=\"1.4.2\"", "release=\"1.4.2\"")]
    [InlineData("{release=\"1.4.2\", environment=~\"stag.*\"}", "release=\"1.4.2\", environment=~\"stag.*\"")]
    public void NormalizeSelector_ValidMatchers_ReturnsWithoutBraces(string selector, string expected)
    {
        Assert.Equal(expected, PrometheusRunSource.NormalizeSelector(selector));
    }

    [Fact]
    public void NormalizeSelector_NotMatchers_Throws()
    {
        var e = Assert.Throws<CompareInputException>(() => PrometheusRunSource.NormalizeSelector("release=1.4.2"));

        Assert.StartsWith("Selector 'release=1.4.2' is not a list of label matchers", e.Message, StringComparison.Ordinal);
    }
}
