using LoadLab.Sinks.Prometheus.Pushgateway;
using LoadLab.Sinks.Prometheus.RemoteWrite;
using LoadLab.Sinks.Prometheus.Scrape;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus;

/// <summary>
/// The Prometheus sink factories the CLI registers by name (<c>--out NAME=ARG</c> or the profile's <c>outputs:</c>).
/// Settings and defaults are in docs/metrics.md.
/// </summary>
public static class PrometheusSinks
{
    /// <summary>The scrape endpoint sink name.</summary>
    public const string ScrapeName = "prometheus";

    /// <summary>The Pushgateway sink name.</summary>
    public const string PushgatewayName = "pushgateway";

    /// <summary>The remote write sink name.</summary>
    public const string RemoteWriteName = "prometheus-rw";

    /// <summary>The scrape endpoint's default listen address.</summary>
    public const string DefaultScrapeAddress = "127.0.0.1:9464";

    /// <summary>Gets every factory by name, for registration.</summary>
    public static IReadOnlyDictionary<string, SinkFactory> Factories { get; } = new Dictionary<string, SinkFactory>(StringComparer.Ordinal)
    {
        [ScrapeName] = CreateScrape,
        [PushgatewayName] = CreatePushgateway,
        [RemoteWriteName] = CreateRemoteWrite,
    };

    /// <summary>
    /// Creates the scrape endpoint sink: <c>--out prometheus[=HOST:PORT]</c> (default 127.0.0.1:9464; loopback only
    /// unless <c>allow_remote: true</c>). Settings: <c>allow_remote</c>, <c>linger</c> (how long stop waits for a last
    /// scrape of the final values, default 5s, only when something scraped during the run).
    /// </summary>
    /// <param name="context">The argument and settings.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="SinkConfigurationException">The address or a setting is invalid.</exception>
    public static ITelemetrySink CreateScrape(SinkCreationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = new SinkSettings(ScrapeName, context.Configuration);
        var endpoint = LoopbackEndpoint.Parse(context.Argument ?? settings.GetString("address"), settings.GetBool("allow_remote", false));
        var linger = settings.GetDuration("linger", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMinutes(5));
        return new ScrapeSink(endpoint, linger, context.TimeProvider, context.Logger);
    }

    /// <summary>
    /// Creates the Pushgateway sink: <c>--out pushgateway=URL</c>. Settings: <c>interval</c> (default 5s),
    /// <c>job</c> (default loadlab), <c>timeout</c> (default 10s).
    /// </summary>
    /// <param name="context">The argument and settings.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="SinkConfigurationException">The URL or a setting is invalid.</exception>
    public static ITelemetrySink CreatePushgateway(SinkCreationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = new SinkSettings(PushgatewayName, context.Configuration);
        var endpoint = HttpEndpoint.Parse(PushgatewayName, context.Argument ?? settings.GetString("url"), "http://127.0.0.1:9091");
        return new PushgatewaySink(
            endpoint,
            settings.GetString("job") ?? "loadlab",
            settings.GetDuration("interval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            settings.GetDuration("timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2)),
            context.TimeProvider,
            context.Logger);
    }

    /// <summary>
    /// Creates the remote write sink: <c>--out prometheus-rw=URL</c> (e.g. http://127.0.0.1:9090/api/v1/write).
    /// Settings: <c>interval</c> (5s), <c>buffer</c> (snapshots kept while the backend is down, 600),
    /// <c>max_samples_per_send</c> (20000), <c>retries</c> (3), <c>backoff</c> (500ms), <c>max_backoff</c> (5s), <c>timeout</c> (10s).
    /// </summary>
    /// <param name="context">The argument and settings.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="SinkConfigurationException">The URL or a setting is invalid.</exception>
    public static ITelemetrySink CreateRemoteWrite(SinkCreationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = new SinkSettings(RemoteWriteName, context.Configuration);
        var endpoint = HttpEndpoint.Parse(RemoteWriteName, context.Argument ?? settings.GetString("url"), "http://127.0.0.1:9090/api/v1/write");
        var options = new RemoteWriteOptions(
            settings.GetDuration("interval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            settings.GetInt("buffer", 600, 1, 100_000),
            settings.GetInt("max_samples_per_send", 20_000, 100, 10_000_000),
            settings.GetInt("retries", 3, 0, 20),
            settings.GetDuration("backoff", TimeSpan.FromMilliseconds(500), TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            settings.GetDuration("max_backoff", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            settings.GetDuration("timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2)));
        return new RemoteWriteSink(endpoint, options, context.TimeProvider, context.Logger);
    }
}
