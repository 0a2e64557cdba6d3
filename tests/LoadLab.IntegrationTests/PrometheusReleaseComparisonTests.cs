using System.Globalization;
using LoadLab.Compare.Model;
using LoadLab.Compare.Output;
using LoadLab.Results;

namespace LoadLab.IntegrationTests;

/// <summary>
/// Issue 5's "done when", from Prometheus: two real runs of the sample targets (release 1.4.1, and
/// 1.4.2 with latency:/v1/items:+20%) remote write their metrics to a real Prometheus, and
/// <c>loadlab compare --prometheus</c> judges the releases by label selector from the stored histogram
/// buckets and counters alone, as <see cref="ReleaseComparisonTests"/> judges them from result files.
/// </summary>
[Collection(ReleaseRunsCollection.Name)]
public sealed class PrometheusReleaseComparisonTests(ReleaseRunsFixture runs)
{
    [Fact]
    public async Task ComparePrometheus_RealRunsCandidateWithSlowerItems_RegressedOnItemStepsOnly()
    {
        var (baselineFile, candidateFile) = (runs.Baseline, runs.Candidate);
        var baseline = ResultFile.Read(baselineFile);
        var candidate = ResultFile.Read(candidateFile);
        Assert.All([baseline, candidate], r => Assert.True(r.Telemetry.Sinks.Single().Delivered, r.Telemetry.Sinks.Single().LastError));

        // A range that covers both runs, evaluated now: what a user types after the runs.
        var range = ((int)runs.SinceStart.Elapsed.TotalSeconds + 30).ToString(CultureInfo.InvariantCulture) + "s";
        var (exit, output, error) = await Cli.Run(
            "compare", "--prometheus", runs.Prometheus.BaseAddress.ToString(),
            "--baseline-selector", "release=\"1.4.1\"", "--candidate-selector", "release=\"1.4.2\"",
            "--range", range, "--format", "json");

        Assert.True(exit == 4, $"exit {exit}: {output} {error}");
        var report = JsonRenderer.Parse(output);
        Assert.Equal("prometheus", report.Source);
        Assert.Equal("1.4.1", Assert.Single(report.Baselines).Release);
        Assert.Equal("1.4.2", report.Candidate.Release);

        // Every request the result files counted is in Prometheus: nothing lost at the start of a
        // series, nothing extrapolated at the edges of the range.
        foreach (var scenario in candidate.Scenarios)
        {
            var compared = report.Scenarios.Single(s => s.Name == scenario.Name);
            var iterations = compared.Metrics.Single(m => m.Metric == "latency").Latency!;
            Assert.Equal(baseline.Scenarios.Single(s => s.Name == scenario.Name).ResponseTime.Count, iterations.BaselineCount);
            Assert.Equal(scenario.ResponseTime.Count, iterations.CandidateCount);
            foreach (var step in scenario.Steps)
            {
                var latency = Latency(compared, step.Name);
                Assert.Equal(Step(baseline, scenario.Name, step.Name).ResponseTime.Count, latency.Latency!.BaselineCount);
                Assert.Equal(step.ResponseTime.Count, latency.Latency.CandidateCount);
                var errors = compared.Steps.Single(s => s.Name == step.Name).Metrics.Single(m => m.Metric == "error_rate");
                var baselineRequests = Step(baseline, scenario.Name, step.Name).Requests;
                Assert.Equal(baselineRequests.Fail / (double)(baselineRequests.Ok + baselineRequests.Fail), errors.Baseline!.Value, 9);
                Assert.Equal(step.Requests.Fail / (double)(step.Requests.Ok + step.Requests.Fail), errors.Candidate!.Value, 9);
            }
        }

        // The same judgement as from the files. Prometheus has buckets 2^(1/16) (4.4%) apart and a
        // percentile is its bucket's upper bound, so a p95 from Prometheus is up to 4.4% above the
        // HdrHistogram's; a 20% slowdown is about four buckets.
        var (filesExit, filesOutput, filesError) = await Cli.Run("compare", "--baseline", baselineFile, "--candidate", candidateFile, "--format", "json");
        Assert.True(filesExit is 0 or 4 or 5, $"exit {filesExit}: {filesOutput} {filesError}");
        var files = JsonRenderer.Parse(filesOutput);
        var browse = report.Scenarios.Single(s => s.Name == "browse_catalog");
        foreach (var item in new[] { "list_items", "view_item" })
        {
            var judged = Latency(browse, item);
            Assert.True(judged.Classification == Classification.Regressed, $"{item}: {judged.Reason}\n{output}");
            var fromFiles = Latency(files.Scenarios.Single(s => s.Name == "browse_catalog"), item);
            Assert.InRange(judged.Baseline!.Value, fromFiles.Baseline!.Value * 0.99, fromFiles.Baseline.Value * 1.05);
            Assert.InRange(judged.Candidate!.Value, fromFiles.Candidate!.Value * 0.99, fromFiles.Candidate.Value * 1.05);
        }

        var authorize = Latency(report.Scenarios.Single(s => s.Name == "payment_flow"), "authorize");
        Assert.True(authorize.Classification != Classification.Regressed, $"authorize: {authorize.Reason}");
    }

    private static MetricJudgement Latency(ScenarioComparison scenario, string step) =>
        scenario.Steps.Single(s => s.Name == step).Metrics.Single(m => m.Metric == "latency");

    private static StepResult Step(RunResult result, string scenario, string step) =>
        result.Scenarios.Single(s => s.Name == scenario).Steps.Single(s => s.Name == step);
}
