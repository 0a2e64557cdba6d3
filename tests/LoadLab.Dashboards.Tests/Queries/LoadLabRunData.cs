using System.CommandLine;
using System.Globalization;
using LoadLab.Cli;
using LoadLab.Targets;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// The real fill: the sample targets in this process (scraped by the Prometheus under test) and two
/// `loadlab run` invocations, releases 1.4.2 and 1.5.0, writing with `--out prometheus-rw=...`,
/// exactly as the runner of docker-compose.yml does. Chosen with LOADLAB_DASHBOARDS_FILL=run
/// (FilledPrometheusFixture) until the run pipeline emits every series the dashboards show
/// (fault series come from game days and profile faults).
/// </summary>
internal sealed class LoadLabRunData : IRunDataSource
{
    private static readonly TimeSpan s_runLength = TimeSpan.FromSeconds(20);

    public async Task<DataWindow> FillAsync(PrometheusServer prometheus, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow;
        await using var targets = await TargetHost.StartAsync(new TargetOptions { Environment = "staging" }, cancellationToken);
        await prometheus.SetScrapeTargetsAsync(
            [new ScrapeTarget("api-service", targets.ApiUrl.Authority), new ScrapeTarget("payments-service", targets.PaymentsUrl.Authority)],
            cancellationToken);
        var directory = Directory.CreateTempSubdirectory("loadlab-dashboards-run-").FullName;
        try
        {
            var profile = Path.Combine(directory, "dashboards.yaml");
            await File.WriteAllTextAsync(profile, Profile(targets.ApiUrl, targets.PaymentsUrl), cancellationToken);
            foreach (var release in new[] { "1.4.2", "1.5.0" })
            {
                await RunAsync(
                    [
                        "run", profile, "--release", release, "--environment", "staging", "--results", Path.Combine(directory, "results"),
                        "--out", $"prometheus-rw={prometheus.RemoteWriteUrl}",
                    ],
                    cancellationToken);
            }

            // One more scrape of the targets after the last run.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return new DataWindow(start, DateTimeOffset.UtcNow);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await CliApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);

        // 0 passed, 4 thresholds failed: both are runs whose data the dashboards show.
        if (exitCode is not (ExitCodes.Success or ExitCodes.Failed))
        {
            throw new InvalidOperationException($"loadlab {string.Join(' ', args)} exited with {exitCode}:\n{output}\n{error}");
        }
    }

    private static string Profile(Uri api, Uri payments) => $$"""
        name: dashboards
        labels: { service: api-service, environment: staging }
        targets: { api: "{{api.ToString().TrimEnd('/')}}", payments: "{{payments.ToString().TrimEnd('/')}}" }
        scenarios:
          - name: browse_catalog
            load:
              - inject: { rate: 20, interval: 1s, during: {{(int)s_runLength.TotalSeconds}}s }
            thresholds:
              - "p95(response_time) < 300ms"
              - "error_rate < 1%"
          - name: payment_flow
            load:
              - inject: { rate: 5, interval: 1s, during: {{(int)s_runLength.TotalSeconds}}s }
            thresholds:
              - "error_rate < 5%"
        """;
}
