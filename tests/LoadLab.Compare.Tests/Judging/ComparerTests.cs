using LoadLab.Compare.Configuration;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;
using LoadLab.Compare.Tests.Fixtures;
using LoadLab.Results;

namespace LoadLab.Compare.Tests.Judging;

public class ComparerTests
{
    private static RunData Data(RunResult r) => RunDataReader.FromResult(r, r.RunId);

    private static MetricJudgement Step(ComparisonReport report, string step, string metric) =>
        report.Scenarios[0].Steps.First(s => s.Name == step).Metrics.First(m => m.Metric == metric);

    private static MetricJudgement Scenario(ComparisonReport report, string metric, string? subject = null) =>
        report.Scenarios[0].Metrics.First(m => m.Metric == metric && m.Subject == subject);

    [Fact]
    public void Compare_SameDistribution_EveryMetricPassesAndVerdictPass()
    {
        var report = new Comparer(new ComparisonOptions()).Compare([Data(ResultFixtures.Run("a", 1))], Data(ResultFixtures.Run("b", 2)));

        Assert.All(report.AllJudgements(), j => Assert.Equal(Classification.Pass, j.Judgement.Classification));
        Assert.Equal(Verdict.Pass, report.Verdict);
        Assert.Equal(100, report.Score);
        Assert.Equal(report.Judged, report.Passed);
    }

    [Fact]
    public void Compare_ItemsStep20PercentSlower_StepRegressedOtherStepPassVerdictFail()
    {
        var report = new Comparer(new ComparisonOptions()).Compare(
            [Data(ResultFixtures.Run("a", 1))],
            Data(ResultFixtures.Run("b", 2, itemsFactor: 1.2, release: "1.4.2")));

        var items = Step(report, ResultFixtures.Items, "latency");
        Assert.Equal(Classification.Regressed, items.Classification);
        Assert.InRange(items.RelativeDelta!.Value, 0.12, 0.28);
        Assert.True(items.PValue < 1e-6);
        Assert.Equal(Classification.Pass, Step(report, ResultFixtures.Cart, "latency").Classification);
        Assert.Equal(Classification.Pass, Step(report, ResultFixtures.Items, "error_rate").Classification);
        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Contains(report.Reasons, r => r.Contains("critical metric regressed: browse_catalog › /v1/items latency p95", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_FasterCandidate_ClassifiedImproved()
    {
        var report = new Comparer(new ComparisonOptions()).Compare([Data(ResultFixtures.Run("a", 1))], Data(ResultFixtures.Run("b", 2, cartFactor: 0.7)));

        Assert.Equal(Classification.Improved, Step(report, ResultFixtures.Cart, "latency").Classification);
        Assert.Equal(Verdict.Pass, report.Verdict);
    }

    [Fact]
    public void Compare_NonCriticalRegressionBetweenCutOffs_VerdictMarginal()
    {
        var options = new ComparisonOptions { PassScore = 99, MarginalScore = 50 };
        options.Metrics["latency"].Critical = false;

        var report = new Comparer(options).Compare([Data(ResultFixtures.Run("a", 1))], Data(ResultFixtures.Run("b", 2, itemsFactor: 1.2)));

        Assert.Equal(Verdict.Marginal, report.Verdict);
        Assert.InRange(report.Score, 50, 99);
    }

    [Fact]
    public void Compare_ThreeBaselinesSpreadCoversCandidate_NotFlagged()
    {
        // Baselines at 1.0, 1.1 and 1.2 x on /v1/items; a candidate at 1.15 x lies inside their spread.
        RunData[] baselines = [Data(ResultFixtures.Run("a", 1)), Data(ResultFixtures.Run("b", 2, itemsFactor: 1.1)), Data(ResultFixtures.Run("c", 3, itemsFactor: 1.2))];
        var candidate = Data(ResultFixtures.Run("d", 4, itemsFactor: 1.15));

        var pooled = new Comparer(new ComparisonOptions()).Compare(baselines, candidate);
        var single = new Comparer(new ComparisonOptions()).Compare([baselines[0]], candidate);

        var items = Step(pooled, ResultFixtures.Items, "latency");
        Assert.Equal(Classification.Pass, items.Classification);
        Assert.Contains("spread", items.Reason, StringComparison.Ordinal);
        Assert.Equal(3, items.BaselineRuns!.Count);
        Assert.Equal(Classification.Regressed, Step(single, ResultFixtures.Items, "latency").Classification);
    }

    [Fact]
    public void Compare_ErrorRateFrom1To5Percent_ErrorRateRegressed()
    {
        var report = new Comparer(new ComparisonOptions()).Compare([Data(ResultFixtures.Run("a", 1))], Data(ResultFixtures.Run("b", 2, errorRate: 0.05)));

        var errors = Scenario(report, "error_rate");
        Assert.Equal(Classification.Regressed, errors.Classification);
        Assert.Equal("absolute", errors.ToleranceKind);
        Assert.Equal(Verdict.Fail, report.Verdict);
    }

    [Fact]
    public void Compare_ChecksAndBusinessWorse_BothRegressed()
    {
        var report = new Comparer(new ComparisonOptions()).Compare(
            [Data(ResultFixtures.Run("a", 1))],
            Data(ResultFixtures.Run("b", 2, checkFailRate: 0.06, declinedRate: 0.12)));

        Assert.Equal(Classification.Regressed, Scenario(report, "checks", "status is 200").Classification);
        Assert.Equal(Classification.Regressed, Scenario(report, "business", "order").Classification);
    }

    [Fact]
    public void Compare_ThroughputHalved_ThroughputRegressed()
    {
        var report = new Comparer(new ComparisonOptions()).Compare([Data(ResultFixtures.Run("a", 1))], Data(ResultFixtures.Run("b", 2, durationSeconds: 120)));

        Assert.Equal(Classification.Regressed, Scenario(report, "throughput").Classification);
    }

    [Fact]
    public void Compare_DisabledMetricByOverride_IsLeftOut()
    {
        var options = new ComparisonOptions();
        options.Overrides.Add(new MetricOverride { Scenario = ResultFixtures.Scenario, Step = ResultFixtures.Items, Metric = "latency", Enabled = false });

        var report = new Comparer(options).Compare([Data(ResultFixtures.Run("a", 1))], Data(ResultFixtures.Run("b", 2, itemsFactor: 1.2)));

        Assert.DoesNotContain(report.Scenarios[0].Steps.First(s => s.Name == ResultFixtures.Items).Metrics, m => m.Metric == "latency");
    }

    [Fact]
    public void Compare_NoScenarioInCommon_ThrowsNamingBoth()
    {
        var other = ResultFixtures.Run("b", 2);
        other.Scenarios[0].Name = "checkout";

        var e = Assert.Throws<CompareInputException>(() => new Comparer(new ComparisonOptions()).Compare([Data(ResultFixtures.Run("a", 1))], Data(other)));

        Assert.Equal("The baseline and the candidate have no scenario in common (baseline: browse_catalog; candidate: checkout); they are results of different tests.", e.Message);
    }

    [Fact]
    public void FromResult_NoIterations_ThrowsNamingTheFile()
    {
        var empty = new RunResult { RunId = "r0", Scenarios = [new ScenarioResult { Name = "x" }] };

        var e = Assert.Throws<CompareInputException>(() => RunDataReader.FromResult(empty, "results/r0/result.json"));

        Assert.Equal("Result 'results/r0/result.json' (run r0) holds no iterations; there is nothing to compare.", e.Message);
    }

    [Fact]
    public void FromResult_OtherSchemaVersion_Throws()
    {
        var result = ResultFixtures.Run("a", 1);
        result.SchemaVersion = 2;

        var e = Assert.Throws<CompareInputException>(() => RunDataReader.FromResult(result, "old.json"));

        Assert.Equal("Result 'old.json' has schemaVersion 2; this LoadLab compares schemaVersion 1.", e.Message);
    }
}
