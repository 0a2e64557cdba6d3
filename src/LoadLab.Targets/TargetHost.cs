using LoadLab.Targets.Api;
using LoadLab.Targets.Hosting;
using LoadLab.Targets.Payments;

namespace LoadLab.Targets;

/// <summary>
/// Both sample target services, running in this process on their own Kestrel servers:
/// api-service and payments-service. Start with <see cref="StartAsync"/>; dispose to stop.
/// Used by <c>loadlab targets</c>, <c>loadlab demo</c> and the tests.
/// </summary>
public sealed class TargetHost : IAsyncDisposable
{
    private readonly TargetOptions _options;
    private readonly string _dataDirectory;
    private readonly bool _ownsDataDirectory;
    private readonly SemaphoreSlim _paymentsGate = new(1, 1);
    private TargetService? _api;
    private TargetService? _payments;
    private bool _disposed;

    private TargetHost(TargetOptions options, string dataDirectory, bool ownsDataDirectory)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>Gets the base URL of api-service, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri ApiUrl => (_api ?? throw new ObjectDisposedException(nameof(TargetHost))).Url;

    /// <summary>Gets the base URL of payments-service (it changes after <see cref="RestartPaymentsAsync"/> when the port was 0).</summary>
    public Uri PaymentsUrl => (_payments ?? throw new InvalidOperationException("payments-service is stopped.")).Url;

    /// <summary>Gets the directory of the payments database.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Gets the options the services run with.</summary>
    public TargetOptions Options => _options;

    internal TargetService Api => _api ?? throw new ObjectDisposedException(nameof(TargetHost));

    internal TargetService? Payments => _payments;

    /// <summary>Validates <paramref name="options"/> and starts both services.</summary>
    /// <param name="options">The settings; not changed afterwards.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message lists each).</exception>
    /// <exception cref="FormatException">A regression spec does not parse (the message names it).</exception>
    /// <exception cref="IOException">A port is taken (the message names the address).</exception>
    public static async Task<TargetHost> StartAsync(TargetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var owns = string.IsNullOrEmpty(options.DataDirectory);
        var directory = owns
            ? Path.Combine(Path.GetTempPath(), "loadlab-targets-" + Guid.NewGuid().ToString("N"))
            : Path.GetFullPath(options.DataDirectory!);
        var host = new TargetHost(options, directory, owns);
        try
        {
            host._api = await StartOrExplainAsync(ApiService.StartAsync(options, options.ApiPort, cancellationToken), "api-service", options.BindAddress, options.ApiPort);
            host._payments = await StartOrExplainAsync(PaymentsService.StartAsync(options, directory, options.PaymentsPort, cancellationToken), "payments-service", options.BindAddress, options.PaymentsPort);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What <c>loadlab targets</c> does: starts both services, writes their URLs to
    /// <paramref name="output"/>, and runs until <paramref name="cancellationToken"/> is cancelled (Ctrl+C).
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="output">Where the URLs go (the console).</param>
    /// <param name="cancellationToken">Stops the services when cancelled.</param>
    /// <returns>A task that completes when both services have stopped.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="FormatException">A regression spec does not parse.</exception>
    /// <exception cref="IOException">A port is taken.</exception>
    public static async Task RunAsync(TargetOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var host = await StartAsync(options, cancellationToken);
        await output.WriteLineAsync($"api-service      {host.ApiUrl}  (release {options.Release}, environment {options.Environment})");
        await output.WriteLineAsync($"payments-service {host.PaymentsUrl}  (data {host.DataDirectory})");
        foreach (var spec in options.Regressions)
        {
            await output.WriteLineAsync($"regression       {spec}");
        }

        await output.WriteLineAsync(string.IsNullOrEmpty(options.AdminToken)
            ? "admin API        off (no admin token)"
            : $"admin API        {new Uri(host.PaymentsUrl, "/admin/dependency-faults")}");
        await output.WriteLineAsync("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the normal way to stop; disposing stops both services gracefully.
        }
    }

    /// <summary>Stops payments-service alone (api-service keeps running); for durability tests and game days.</summary>
    /// <param name="cancellationToken">Cancels the graceful stop.</param>
    /// <returns>A task that completes when the service has stopped.</returns>
    public async Task StopPaymentsAsync(CancellationToken cancellationToken)
    {
        await _paymentsGate.WaitAsync(cancellationToken);
        try
        {
            if (_payments is { } payments)
            {
                _payments = null;
                await payments.DisposeAsync();
            }
        }
        finally
        {
            _paymentsGate.Release();
        }
    }

    /// <summary>Starts payments-service again on the same data directory (stopping it first if it runs).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the service listens again.</returns>
    public async Task RestartPaymentsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await StopPaymentsAsync(cancellationToken);
        await _paymentsGate.WaitAsync(cancellationToken);
        try
        {
            _payments = await StartOrExplainAsync(
                PaymentsService.StartAsync(_options, _dataDirectory, _options.PaymentsPort, cancellationToken), "payments-service", _options.BindAddress, _options.PaymentsPort);
        }
        finally
        {
            _paymentsGate.Release();
        }
    }

    /// <summary>Stops both services gracefully.</summary>
    /// <param name="cancellationToken">Cancels the graceful stop.</param>
    /// <returns>A task that completes when both have stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopPaymentsAsync(cancellationToken);
        if (_api is { } api)
        {
            await api.StopAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopPaymentsAsync(CancellationToken.None);
            if (_api is { } api)
            {
                await api.DisposeAsync();
            }
        }
        finally
        {
            _paymentsGate.Dispose();
            if (_ownsDataDirectory && Directory.Exists(_dataDirectory))
            {
                try
                {
                    Directory.Delete(_dataDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // A temporary directory left behind is harmless; failing the dispose is not.
                }
            }
        }
    }

    private static async Task<TargetService> StartOrExplainAsync(Task<TargetService> start, string service, string address, int port)
    {
        try
        {
            return await start;
        }
        catch (IOException ex)
        {
            throw new IOException($"{service} could not listen on {address}:{port}: {ex.Message} Choose another port (0 picks a free one).", ex);
        }
    }
}
