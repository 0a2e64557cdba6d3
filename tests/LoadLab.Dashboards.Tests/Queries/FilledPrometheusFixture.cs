using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// A real Prometheus (PrometheusServer: remote write receiver and exemplar storage on) holding the
/// data of two real LoadLab runs with fault windows (LoadLabRunData), and the OTLP receiver that
/// stands in for Tempo with the runs' sampled traces; shared by the tests of a class.
/// </summary>
public sealed class FilledPrometheusFixture : IAsyncLifetime
{
    private PrometheusServer? _prometheus;
    private OtlpReceiver? _tempo;

    internal PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    internal OtlpReceiver Tempo => _tempo ?? throw new InvalidOperationException("not started");

    internal DataWindow Window { get; private set; } = new(default, default);

    internal PanelQueryRunner Runner => new(Prometheus, Window);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            _prometheus = await PrometheusServer.StartAsync(cancellationToken: timeout.Token);
            _tempo = await OtlpReceiver.StartAsync(timeout.Token);
            Window = await LoadLabRunData.FillAsync(_prometheus, _tempo, timeout.Token);
        }
        catch
        {
            // The fill stopped its targets, proxy and runs; the servers go too, whether or not xUnit disposes a failed fixture.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        _prometheus?.Dispose();
        _prometheus = null;
        if (_tempo is not null)
        {
            await _tempo.DisposeAsync();
            _tempo = null;
        }
    }
}
