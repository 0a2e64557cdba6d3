using System.Xml.Linq;
using LoadLab.Compare.Configuration;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;
using LoadLab.Compare.Output;
using LoadLab.Compare.Tests.Fixtures;
using LoadLab.Results;

namespace LoadLab.Compare.Tests;

public sealed class CompareRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _baseline;
    private readonly string _same;
    private readonly string _slower;

    public CompareRunnerTests()
    {
        _baseline = ResultFixtures.Write(ResultFixtures.Run("base", 1), _dir.Path);
        _same = ResultFixtures.Write(ResultFixtures.Run("same", 2, release: "1.4.2"), _dir.Path);
        _slower = ResultFixtures.Write(ResultFixtures.Run("slower", 3, itemsFactor: 1.2, release: "1.4.2"), _dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> Run(CompareRequest request)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CompareRunner.RunAsync(request, stdout, stderr, null, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task RunAsync_SameRelease_Table_ReturnsZeroAndPrintsPass()
    {
        var (code, output, _) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _same });

        Assert.Equal(0, code);
        Assert.Contains("Verdict: PASS", output, StringComparison.Ordinal);
        Assert.Contains("browse_catalog › /v1/items", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Regression_TableWithColor_ReturnsFourAndColoursRegressed()
    {
        var (code, output, _) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _slower, Colors = true });

        Assert.Equal(4, code);
        Assert.Contains("\u001b[31mRegressed (High)", output, StringComparison.Ordinal);
        Assert.Contains("critical metric regressed: browse_catalog › /v1/items latency p95", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NonCriticalRegression_ReturnsFiveMarginal()
    {
        var gate = _dir.File("gate.yaml", "score: { pass: 99, marginal: 50 }\nmetrics:\n  latency: { critical: false }\n");

        var (code, output, _) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _slower, Config = gate });

        Assert.Equal(5, code);
        Assert.Contains("Verdict: MARGINAL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Markdown_GitHubTableWithRegressionFirst()
    {
        var (code, output, _) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _slower, Format = "markdown" });

        Assert.Equal(4, code);
        Assert.StartsWith("## ❌ LoadLab comparison: Fail", output, StringComparison.Ordinal);
        Assert.Contains("| Scenario / step | Metric | Baseline | Candidate | Change [CI] | Tolerance | p | Result |", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.StartsWith("| browse_catalog", StringComparison.Ordinal)).ToList();
        var regressed = rows.TakeWhile(r => r.Contains("❌ Regressed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(regressed);
        Assert.Contains(regressed, r => r.StartsWith("| browse_catalog › /v1/items | latency p95", StringComparison.Ordinal));
        Assert.DoesNotContain(rows.Skip(regressed.Count), r => r.Contains("❌ Regressed", StringComparison.Ordinal));
        Assert.Contains("<details><summary>Latency details</summary>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Json_RoundTripsTheModel()
    {
        var (code, output, _) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _slower, Format = "json" });

        Assert.Equal(4, code);
        var report = JsonRenderer.Parse(output);
        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Contains("\"classification\": \"Regressed\"", output, StringComparison.Ordinal);
        var items = report.Scenarios[0].Steps.First(s => s.Name == ResultFixtures.Items).Metrics.First(m => m.Metric == "latency");
        Assert.Equal(Classification.Regressed, items.Classification);
        Assert.Equal(3, items.Latency!.Percentiles.Count);
        Assert.NotEmpty(items.Latency.CandidateDistribution);
    }

    [Fact]
    public async Task RunAsync_JUnitToFile_OneTestCasePerJudgedMetricWithFailure()
    {
        var path = Path.Combine(_dir.Path, "out", "junit.xml");

        var (code, output, _) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _slower, Format = "junit", Output = path });

        Assert.Equal(4, code);
        Assert.Contains("junit written to", output, StringComparison.Ordinal);
        var xml = XDocument.Load(path);
        var cases = xml.Descendants("testcase").ToList();
        var failures = cases.Where(c => c.Element("failure") is not null).ToList();
        Assert.Equal(int.Parse(xml.Root!.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture), cases.Count);
        Assert.Contains(failures, f => f.Attribute("classname")!.Value == "loadlab.compare.browse_catalog" && f.Attribute("name")!.Value == "/v1/items latency p95");
        Assert.All(failures, f => Assert.False(string.IsNullOrEmpty(f.Element("failure")!.Attribute("message")!.Value)));
    }

    [Fact]
    public async Task RunAsync_DifferentScenarios_ReturnsTwoWithMessage()
    {
        var other = ResultFixtures.Run("other", 4);
        other.Scenarios[0].Name = "checkout";
        var path = ResultFixtures.Write(other, _dir.Path);

        var (code, _, err) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = path });

        Assert.Equal(2, code);
        Assert.Contains("no scenario in common", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OtherSchemaVersion_ReturnsTwoNamingTheFile()
    {
        var old = ResultFixtures.Run("old", 5);
        old.SchemaVersion = 2;
        var path = ResultFixtures.Write(old, _dir.Path);

        var (code, _, err) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = path });

        Assert.Equal(2, code);
        Assert.Equal($"error: Result file '{path}' has schemaVersion 2; this LoadLab reads schemaVersion 1.", err.Trim());
    }

    [Fact]
    public async Task RunAsync_EmptyResult_ReturnsTwo()
    {
        var path = ResultFixtures.Write(new RunResult { RunId = "empty", Scenarios = [new ScenarioResult { Name = ResultFixtures.Scenario }] }, _dir.Path);

        var (code, _, err) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = path });

        Assert.Equal(2, code);
        Assert.Contains("holds no iterations", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_GateFileWithUnknownMetric_ReturnsTwoWithLineAndField()
    {
        var gate = _dir.File("bad.yaml", "alpha: 0.01\nmetrics:\n  p95: { tolerance: 5% }\n");

        var (code, _, err) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _same, Config = gate });

        Assert.Equal(2, code);
        Assert.Contains($"Gate file '{gate}' line 3, column 3: unknown field 'metrics.p95'", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pdf", "--format 'pdf' is not known")]
    [InlineData("html", "--format html is not available")]
    public async Task RunAsync_UnavailableFormat_ReturnsTwo(string format, string message)
    {
        var (code, _, err) = await Run(new CompareRequest { Baselines = [_baseline], Candidate = _same, Format = format });

        Assert.Equal(2, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoCandidate_ReturnsTwo()
    {
        var (code, _, err) = await Run(new CompareRequest { Baselines = [_baseline] });

        Assert.Equal(2, code);
        Assert.Contains("--candidate", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ManyScenarios_StaysUnderGitHubLimit()
    {
        var baseline = ResultFixtures.Run("base", 1, samples: 200);
        var candidate = ResultFixtures.Run("cand", 2, samples: 200);
        foreach (var run in new[] { baseline, candidate })
        {
            var template = run.Scenarios[0];
            run.Scenarios = Enumerable.Range(0, 150).Select(i => new ScenarioResult
            {
                Name = $"scenario_{i}_with_a_rather_long_name",
                DurationSeconds = template.DurationSeconds,
                Iterations = template.Iterations,
                ResponseTime = template.ResponseTime,
                Steps = template.Steps,
            }).ToList();
        }

        var options = new ComparisonOptions { BootstrapResamples = 100 };
        var report = new Comparer(options).Compare(
            [RunDataReader.FromResult(baseline, "b")], RunDataReader.FromResult(candidate, "c"));

        var markdown = MarkdownRenderer.Render(report);

        Assert.True(markdown.Length < 65_000, $"{markdown.Length} characters");
        Assert.Contains("more rows omitted", markdown, StringComparison.Ordinal);
    }
}
