namespace LoadLab.TestUtils.Servers;

/// <summary>
/// A real Pushgateway (/usr/bin/prometheus-pushgateway, Debian package <c>prometheus-pushgateway</c>)
/// on a free 127.0.0.1 port, without persistence. Dispose kills it. Scrape it from a
/// <see cref="PrometheusServer"/> with <see cref="ScrapeTarget"/> (HonorLabels = true, as usual for a Pushgateway).
/// </summary>
public sealed class PushgatewayServer : IDisposable
{
    /// <summary>The binary; override with the PUSHGATEWAY_BIN environment variable.</summary>
    public static readonly string BinaryPath = Environment.GetEnvironmentVariable("PUSHGATEWAY_BIN") ?? "/usr/bin/prometheus-pushgateway";

    private readonly ServerProcess _process;
    private readonly HttpClient _http;

    private PushgatewayServer(ServerProcess process)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{process.Port}/");
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Gets the base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the port.</summary>
    public int Port => _process.Port;

    /// <summary>Gets the scrape target for Prometheus (honor_labels on).</summary>
    public ScrapeTarget ScrapeTarget => new("pushgateway", $"127.0.0.1:{Port}", "/metrics", HonorLabels: true);

    /// <summary>Starts the Pushgateway and waits for /-/ready.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">The Pushgateway is not installed or did not start.</exception>
    public static async Task<PushgatewayServer> StartAsync(CancellationToken cancellationToken = default)
    {
        ServerProcess.RequireBinary(BinaryPath, "prometheus-pushgateway");
        var process = await ServerProcess.StartAsync(
            BinaryPath,
            ["--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            "/-/ready",
            TimeSpan.FromSeconds(30),
            cancellationToken).ConfigureAwait(false);
        return new PushgatewayServer(process);
    }

    /// <summary>Returns the Pushgateway's own /metrics text (every pushed group).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The exposition text.</returns>
    public Task<string> GetMetricsTextAsync(CancellationToken cancellationToken = default) =>
        _http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);

    /// <summary>Returns /api/v1/metrics (JSON, the pushed groups with their labels and last push times).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The JSON text.</returns>
    public Task<string> GetGroupsJsonAsync(CancellationToken cancellationToken = default) =>
        _http.GetStringAsync(new Uri("api/v1/metrics", UriKind.Relative), cancellationToken);

    /// <summary>Kills the Pushgateway at once (fault tests).</summary>
    public void Kill() => _process.Kill();

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
