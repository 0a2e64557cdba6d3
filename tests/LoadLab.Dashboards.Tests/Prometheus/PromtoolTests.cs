namespace LoadLab.Dashboards.Tests.Prometheus;

/// <summary>Every file in dashboards/prometheus passes the real promtool.</summary>
public sealed class PromtoolTests
{
    public static TheoryData<string> RuleFiles() => new(FilesIn("rules"));

    public static TheoryData<string> RuleTestFiles() => new(FilesIn("tests"));

    [Fact]
    public async Task CheckConfig_PrometheusYml_IsValid()
    {
        var (exitCode, output) = await Promtool.RunAsync(RepositoryFiles.PrometheusDirectory, "check", "config", "prometheus.yml");

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public async Task CheckRules_RuleFile_IsValid(string file)
    {
        var (exitCode, output) = await Promtool.RunAsync(RepositoryFiles.PrometheusDirectory, "check", "rules", file);

        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [MemberData(nameof(RuleTestFiles))]
    public async Task TestRules_RuleTestFile_Passes(string file)
    {
        var (exitCode, output) = await Promtool.RunAsync(RepositoryFiles.PrometheusDirectory, "test", "rules", file);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleTests_EveryAlert_HasAPromtoolTestThatFiresIt()
    {
        var alerts = PrometheusRules.Alerts().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var fired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in FilesIn("tests"))
        {
            var root = RepositoryFiles.Map(RepositoryFiles.ReadYaml(Path.Combine(RepositoryFiles.PrometheusDirectory, file)), file);
            foreach (var test in RepositoryFiles.List(root["tests"], file).Select(t => RepositoryFiles.Map(t, file)))
            {
                if (!test.TryGetValue("alert_rule_test", out var alertTests))
                {
                    continue;
                }

                foreach (var alertTest in RepositoryFiles.List(alertTests, file).Select(t => RepositoryFiles.Map(t, file)))
                {
                    // A test that expects the alert to fire (exp_alerts not empty), not only silence.
                    if (alertTest.TryGetValue("exp_alerts", out var expected) && expected is List<object?> { Count: > 0 })
                    {
                        fired.Add(RepositoryFiles.Text(alertTest, "alertname") ?? "");
                    }
                }
            }
        }

        Assert.NotEmpty(alerts);
        Assert.Empty(alerts.Except(fired));
    }

    [Fact]
    public void Rules_GuideRulesAndLoadLabAlerts_ArePresent()
    {
        var alerts = PrometheusRules.Alerts().Select(a => a.Name).ToList();
        var records = PrometheusRules.RecordingRules().ToList();

        Assert.Contains("HighErrorRate", alerts);
        Assert.Contains("LoadLabRunFailed", alerts);
        Assert.Contains("LoadLabThresholdFailing", alerts);
        Assert.Contains("LoadLabP95Regression", alerts);
        Assert.Contains("service:http_requests_5xx:ratio_rate5m", records);
    }

    private static IEnumerable<string> FilesIn(string folder) =>
        Directory.GetFiles(Path.Combine(RepositoryFiles.PrometheusDirectory, folder), "*.yml")
            .Select(f => Path.GetRelativePath(RepositoryFiles.PrometheusDirectory, f))
            .Order(StringComparer.Ordinal);
}
