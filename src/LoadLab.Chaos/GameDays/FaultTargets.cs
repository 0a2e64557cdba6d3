using System.Net.Http.Headers;
using System.Text;
using LoadLab.Chaos.Faults;
using LoadLab.Chaos.Proxy;
using LoadLab.Metrics;

namespace LoadLab.Chaos.GameDays;

/// <summary>Somewhere a game day can switch faults on and off.</summary>
public interface IFaultTarget : IAsyncDisposable
{
    /// <summary>Gets the name actions refer to.</summary>
    string Name { get; }

    /// <summary>Replaces the target's faults.</summary>
    /// <param name="faults">The faults (empty: none).</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task.</returns>
    Task ApplyAsync(IReadOnlyList<FaultSpec> faults, CancellationToken cancellationToken);

    /// <summary>Gets how often a fault was injected, when the target can tell.</summary>
    /// <param name="fault">The fault name.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>The count, or null.</returns>
    Task<long?> InjectedAsync(string fault, CancellationToken cancellationToken);
}

/// <summary>A chaos proxy in this process.</summary>
internal sealed class InProcessProxyTarget(ChaosProxy proxy, string name, bool owned) : IFaultTarget
{
    public string Name { get; } = name;

    public Task ApplyAsync(IReadOnlyList<FaultSpec> faults, CancellationToken cancellationToken)
    {
        proxy.SetFaults(faults);
        return Task.CompletedTask;
    }

    public Task<long?> InjectedAsync(string fault, CancellationToken cancellationToken) => Task.FromResult<long?>(proxy.Metrics.GetInjected(fault, proxy.Name));

    public async ValueTask DisposeAsync()
    {
        // A proxy the game day started stops with it; one the caller owns keeps running (rollback already cleared it).
        if (owned)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A running <c>loadlab proxy</c>, through its admin API.</summary>
internal sealed class AdminApiTarget : IFaultTarget
{
    private readonly HttpClient _client;

    public AdminApiTarget(string name, Uri admin, string token)
    {
        Name = name;
        _client = new HttpClient { BaseAddress = admin, Timeout = TimeSpan.FromSeconds(10) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string Name { get; }

    public async Task ApplyAsync(IReadOnlyList<FaultSpec> faults, CancellationToken cancellationToken)
    {
        using var response = faults.Count == 0
            ? await _client.DeleteAsync(new Uri("faults", UriKind.Relative), cancellationToken).ConfigureAwait(false)
            : await _client.PutAsync(new Uri("faults", UriKind.Relative), new StringContent(FaultFile.ToJson(faults), Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"The admin API of '{Name}' answered {(int)response.StatusCode}: {body.Trim()}");
        }
    }

    public async Task<long?> InjectedAsync(string fault, CancellationToken cancellationToken)
    {
        // The proxy's own /metrics: loadlab_faults_injected_total{fault="...",target="..."} N
        try
        {
            var text = await _client.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var prefix = $"{MetricNames.FaultsInjected}{{fault=\"{fault}\",";
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is not null && long.TryParse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : null;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return default;
    }
}
