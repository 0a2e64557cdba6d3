using LoadLab.Compare.Prometheus;
using LoadLab.Compare.Tests.Fixtures;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Compare.Tests.Prometheus;

public class GateRunnerTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    private const string FailedIterations = "sum(loadlab_iterations_total{release=\"1.4.2\",status=\"fail\"})";

    private async Task<(int Code, string Out, string Err)> Gate(GateRequest request)
    {
        request.Prometheus = request.Prometheus.Length == 0 ? prometheus.Url : request.Prometheus;
        request.Time ??= prometheus.EvaluationTime;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await GateCommandRunner.RunAsync(request, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Gate_ValueUnderMax_ExitZeroWithValueInTable()
    {
        var (code, output, err) = await Gate(new GateRequest { Query = FailedIterations, Max = 100 });

        Assert.True(code == 0, err + output);
        var row = output.Split('\n').Single(l => l.StartsWith(FailedIterations, StringComparison.Ordinal));
        Assert.Contains(" 30 ", row, StringComparison.Ordinal);
        Assert.Contains("<= 100", row, StringComparison.Ordinal);
        Assert.EndsWith("pass", row.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("Gate: PASS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_ValueOverMax_ExitFour()
    {
        var (code, output, _) = await Gate(new GateRequest { Query = FailedIterations, Max = 10 });

        Assert.Equal(4, code);
        Assert.Contains("Gate: FAIL (1 of 1 failed)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_SeveralSeriesWithMin_EverySeriesJudged()
    {
        var (code, output, _) = await Gate(new GateRequest { Query = "sum by (release) (loadlab_iterations_total{status=\"ok\"})", Min = 3000 });

        Assert.Equal(0, code);
        Assert.Contains("{release=\"1.4.1\"}", output, StringComparison.Ordinal);
        Assert.Contains("{release=\"1.4.2\"}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fail", 4, "no data (fail)")]
    [InlineData("pass", 0, "no data (pass)")]
    public async Task Gate_NoData_FollowsPolicy(string policy, int expectedCode, string verdict)
    {
        var (code, output, _) = await Gate(new GateRequest { Query = "sum(loadlab_no_such_metric_total)", Max = 1, NoData = policy });

        Assert.Equal(expectedCode, code);
        Assert.Contains(verdict, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_QueryError_ExitTwoWithPrometheusErrorText()
    {
        var (code, output, _) = await Gate(new GateRequest { Query = "sum(loadlab_iterations_total", Max = 1 });

        Assert.Equal(2, code);
        Assert.Contains("error: Prometheus rejected the query 'sum(loadlab_iterations_total': bad_data:", output, StringComparison.Ordinal);
        Assert.Contains("Gate: ERROR", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_UnreachablePrometheus_ExitTwo()
    {
        var (code, _, err) = await Gate(new GateRequest { Prometheus = $"http://127.0.0.1:{ServerProcess.GetFreePort()}", Query = "up", Max = 1 });

        Assert.Equal(2, code);
        Assert.Contains("cannot be reached", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_File_EvaluatesEveryGate()
    {
        using var dir = new TempDirectory();
        var file = dir.File("gates.yaml", $$"""
            gates:
              - name: few failures
                query: '{{FailedIterations}}'
                max: 50
              - name: enough iterations
                query: 'sum(loadlab_iterations_total{release="1.4.2",status="ok"})'
                min: 4000
            """);

        var (code, output, err) = await Gate(new GateRequest { File = file });

        Assert.True(code == 4, err + output);
        Assert.Contains("few failures", output, StringComparison.Ordinal);
        Assert.Contains("enough iterations", output, StringComparison.Ordinal);
        Assert.Contains("Gate: FAIL (1 of 2 failed)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gates:\n  - query: up\n", "Gates file 'g.yaml' line 2, column 5: field 'gates[0]': expected a bound: max, min or both, got a mapping.")]
    [InlineData("gates:\n  - { query: up, max: high }\n", "Gates file 'g.yaml' line 2, column 23: field 'gates[0].max': expected a number")]
    [InlineData("gates:\n  - { query: up, max: 1, when: now }\n", "Gates file 'g.yaml' line 2, column 26: unknown field 'gates[0].when'; expected one of: name, query, max, min, no_data.")]
    public void Parse_InvalidGates_ThrowsWithLineAndField(string yaml, string expected)
    {
        var e = Assert.Throws<CompareInputException>(() => GateRunner.Parse(yaml, "g.yaml"));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_QueryWithoutBound_ExitTwo()
    {
        var (code, _, err) = await Gate(new GateRequest { Query = "up" });

        Assert.Equal(2, code);
        Assert.Contains("--query needs a bound", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_UnknownNoDataPolicy_ExitTwo()
    {
        var (code, _, err) = await Gate(new GateRequest { Query = "up", Max = 1, NoData = "maybe" });

        Assert.Equal(2, code);
        Assert.Contains("--no-data 'maybe' is not known; expected fail or pass.", err, StringComparison.Ordinal);
    }
}
