using Xunit;

namespace LoadLab.TestUtils.Servers;

/// <summary>
/// One real Prometheus (remote write receiver and exemplar storage on, no scrape jobs until
/// <see cref="PrometheusServer.SetScrapeTargetsAsync"/>) shared by a test class: <c>IClassFixture&lt;PrometheusFixture&gt;</c>.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private PrometheusServer? _server;

    /// <summary>Gets the server (after <see cref="InitializeAsync"/>).</summary>
    public PrometheusServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await PrometheusServer.StartAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>One real Pushgateway shared by a test class: <c>IClassFixture&lt;PushgatewayFixture&gt;</c>.</summary>
public sealed class PushgatewayFixture : IAsyncLifetime
{
    private PushgatewayServer? _server;

    /// <summary>Gets the server (after <see cref="InitializeAsync"/>).</summary>
    public PushgatewayServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await PushgatewayServer.StartAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>One OTLP/HTTP receiver shared by a test class: <c>IClassFixture&lt;OtlpReceiverFixture&gt;</c>.</summary>
public sealed class OtlpReceiverFixture : IAsyncLifetime
{
    private OtlpReceiver? _receiver;

    /// <summary>Gets the receiver (after <see cref="InitializeAsync"/>).</summary>
    public OtlpReceiver Receiver => _receiver ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _receiver = await OtlpReceiver.StartAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync().ConfigureAwait(false);
        }
    }
}
