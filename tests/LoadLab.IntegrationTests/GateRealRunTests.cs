using System.Globalization;
using LoadLab.Results;

namespace LoadLab.IntegrationTests;

/// <summary>
/// <c>loadlab gate</c> against a real Prometheus holding two real runs (<see cref="ReleaseRunsFixture"/>): the
/// pipeline gate of the observability guide, on what a nightly run really wrote.
/// </summary>
[Collection(ReleaseRunsCollection.Name)]
public class GateRealRunTests(ReleaseRunsFixture runs)
{
    private const string ListItems = "release=\"1.4.2\",scenario=\"browse_catalog\",step=\"list_items\"";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Gate_RequestCountOfTheRun_HoldsExactlyAndFailsOneBelow()
    {
        var step = ResultFile.Read(runs.Candidate).Scenarios.Single(s => s.Name == "browse_catalog").Steps.Single(s => s.Name == "list_items");
        var requests = step.Requests.Ok + step.Requests.Fail;
        var query = $"sum(loadlab_requests_total{{{ListItems}}})";

        var (exit, output, error) = await Cli.Run(
            "gate", "--prometheus", runs.Prometheus.BaseAddress.ToString(), "--query", query, "--min", Number(requests), "--max", Number(requests));
        Assert.True(exit == 0, output + error);
        Assert.Contains(requests.ToString(CultureInfo.InvariantCulture), output, StringComparison.Ordinal);

        var (below, belowOutput, _) = await Cli.Run(
            "gate", "--prometheus", runs.Prometheus.BaseAddress.ToString(), "--query", query, "--max", Number(requests - 1));
        Assert.Equal(4, below);
        Assert.Contains("Gate: FAIL", belowOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_FileWithP95ErrorRatioAndNoData_JudgesTheRealRun()
    {
        var step = ResultFile.Read(runs.Candidate).Scenarios.Single(s => s.Name == "browse_catalog").Steps.Single(s => s.Name == "list_items");

        // The whole run's p95 from the cumulative buckets: within the buckets' 4.4% of the HdrHistogram p95.
        var p95 = $"histogram_quantile(0.95, sum by (le) (loadlab_response_time_seconds_bucket{{{ListItems}}}))";
        var dir = Cli.TempDir();
        var file = Path.Combine(dir, "gates.yaml");
        await File.WriteAllTextAsync(file, $$"""
            gates:
              - { name: p95 not below the run's, query: '{{p95}}', min: {{Number(step.ResponseTime.P95 * 0.95)}} }
              - { name: p95 not above the run's, query: '{{p95}}', max: {{Number(step.ResponseTime.P95 * 1.05)}} }
              - { name: error ratio, query: 'sum(loadlab_requests_total{release="1.4.2",status="fail"}) / sum(loadlab_requests_total{release="1.4.2"})', max: 0.05 }
              - { name: a release never run, query: 'sum(loadlab_requests_total{release="9.9.9"})', max: 0, no_data: pass }
            """);

        var (exit, output, error) = await Cli.Run("gate", "--prometheus", runs.Prometheus.BaseAddress.ToString(), "--file", file);
        Assert.True(exit == 0, output + error);
        Assert.Contains("Gate: PASS", output, StringComparison.Ordinal);

        // No data is a failure unless the gate says otherwise: the shell-and-jq gate's accident, made explicit.
        var (noData, noDataOutput, _) = await Cli.Run(
            "gate", "--prometheus", runs.Prometheus.BaseAddress.ToString(), "--query", "sum(loadlab_requests_total{release=\"9.9.9\"})", "--max", "0");
        Assert.True(noData == 4, noDataOutput);
    }
}
