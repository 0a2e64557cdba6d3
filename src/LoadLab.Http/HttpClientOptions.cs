namespace LoadLab.Http;

/// <summary>
/// Options of the shared, tuned <see cref="SocketsHttpHandler"/> that <see cref="HttpClientFactory.Create"/> builds.
/// One client serves every virtual user of a run: its pool holds the connections.
/// </summary>
public sealed class HttpClientOptions
{
    /// <summary>Gets or sets the most connections open to one server (scheme, host and port).</summary>
    /// <value>Defaults to <c>1024</c>. Must be between 1 and 100,000.</value>
    public int MaxConnectionsPerServer { get; set; } = HttpConstants.DefaultMaxConnectionsPerServer;

    /// <summary>Gets or sets how long a pooled connection may live before it is replaced (so DNS changes are seen).</summary>
    /// <value>Defaults to 10 minutes. Must be positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</value>
    public TimeSpan PooledConnectionLifetime { get; set; } = HttpConstants.DefaultPooledConnectionLifetime;

    /// <summary>Gets or sets how long an idle pooled connection is kept.</summary>
    /// <value>Defaults to 90 seconds. Must be positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</value>
    public TimeSpan PooledConnectionIdleTimeout { get; set; } = HttpConstants.DefaultPooledConnectionIdleTimeout;

    /// <summary>Gets or sets how long establishing a connection may take.</summary>
    /// <value>Defaults to 5 seconds. Must be between 1 ms and 10 minutes.</value>
    public TimeSpan ConnectTimeout { get; set; } = HttpConstants.DefaultConnectTimeout;

    /// <summary>Gets or sets how long a whole request may take (connect, send, headers and body); past it the request fails with <c>timeout</c>.</summary>
    /// <value>Defaults to 30 seconds. Must be between 1 ms and 1 hour.</value>
    public TimeSpan RequestTimeout { get; set; } = HttpConstants.DefaultRequestTimeout;

    /// <summary>Gets or sets the HTTP version of every request: 1.1, or 2.0 (h2c prior knowledge on http://, ALPN on https://).</summary>
    /// <value>Defaults to 1.1. Must be 1.1 or 2.0.</value>
    public Version HttpVersion { get; set; } = System.Net.HttpVersion.Version11;

    /// <summary>Gets or sets a value indicating whether gzip, deflate and brotli bodies are decompressed (and asked for).</summary>
    /// <value>Defaults to <c>false</c>: bodies are counted as they arrive on the wire.</value>
    public bool AutomaticDecompression { get; set; }

    /// <summary>Gets or sets a value indicating whether redirects are followed.</summary>
    /// <value>Defaults to <c>false</c>: a 3xx answer is measured as it is.</value>
    public bool FollowRedirects { get; set; }

    /// <summary>Validates the options.</summary>
    /// <returns>Every problem found; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConnectionsPerServer is < 1 or > HttpConstants.MaxConnectionsLimit)
        {
            errors.Add($"'{nameof(MaxConnectionsPerServer)}' must be between 1 and {HttpConstants.MaxConnectionsLimit} (got {MaxConnectionsPerServer}).");
        }

        if (PooledConnectionLifetime <= TimeSpan.Zero && PooledConnectionLifetime != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"'{nameof(PooledConnectionLifetime)}' must be positive or infinite (got {PooledConnectionLifetime}).");
        }

        if (PooledConnectionIdleTimeout <= TimeSpan.Zero && PooledConnectionIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"'{nameof(PooledConnectionIdleTimeout)}' must be positive or infinite (got {PooledConnectionIdleTimeout}).");
        }

        if (ConnectTimeout < TimeSpan.FromMilliseconds(1) || ConnectTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"'{nameof(ConnectTimeout)}' must be between 1 ms and 10 minutes (got {ConnectTimeout}).");
        }

        if (RequestTimeout < TimeSpan.FromMilliseconds(1) || RequestTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"'{nameof(RequestTimeout)}' must be between 1 ms and 1 hour (got {RequestTimeout}).");
        }

        if (HttpVersion != System.Net.HttpVersion.Version11 && HttpVersion != System.Net.HttpVersion.Version20)
        {
            errors.Add($"'{nameof(HttpVersion)}' must be 1.1 or 2.0 (got {HttpVersion?.ToString() ?? "null"}).");
        }

        return errors;
    }
}
