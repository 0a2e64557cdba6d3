using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// A real Prometheus (PrometheusServer: remote write receiver and exemplar storage on) holding the
/// data of two LoadLab runs, shared by the tests of a class.
/// </summary>
public sealed class FilledPrometheusFixture : IAsyncLifetime
{
    private PrometheusServer? _prometheus;

    internal PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    internal DataWindow Window { get; private set; } = new(default, default);

    internal PanelQueryRunner Runner => new(Prometheus, Window);

    /// <summary>
    /// What fills Prometheus: ContractRunData (runs that follow the metric contract, written with
    /// remote write), or with LOADLAB_DASHBOARDS_FILL=run two real `loadlab run`s against the
    /// sample targets (LoadLabRunData). The real fill becomes the default once the run pipeline
    /// emits every series the dashboards show.
    /// </summary>
    internal static IRunDataSource CreateDataSource() =>
        Environment.GetEnvironmentVariable("LOADLAB_DASHBOARDS_FILL") == "run" ? new LoadLabRunData() : new ContractRunData();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        _prometheus = await PrometheusServer.StartAsync(cancellationToken: timeout.Token);
        Window = await CreateDataSource().FillAsync(_prometheus, timeout.Token);
    }

    public Task DisposeAsync()
    {
        _prometheus?.Dispose();
        return Task.CompletedTask;
    }
}
