using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>The time range that holds a fill's data, and the moment the dashboards are looked at.</summary>
internal sealed record DataWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Fills a running Prometheus with the data of LoadLab runs: two releases of the same service
/// (baseline and candidate), each run with a fault window, and the sample targets' own metrics.
/// </summary>
internal interface IRunDataSource
{
    Task<DataWindow> FillAsync(PrometheusServer prometheus, CancellationToken cancellationToken);
}
