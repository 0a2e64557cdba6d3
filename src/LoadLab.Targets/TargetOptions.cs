using System.Net;

namespace LoadLab.Targets;

/// <summary>
/// Settings of the sample target services (api-service and payments-service), for
/// <c>loadlab targets</c>, <c>loadlab demo</c> and tests. Validated by <see cref="Validate"/>,
/// which <see cref="TargetHost.StartAsync(TargetOptions, CancellationToken)"/> calls.
/// </summary>
public sealed class TargetOptions
{
    /// <summary>Gets or sets the port of api-service.</summary>
    /// <value>Defaults to <c>0</c> (a free port). Must be between 0 and 65535.</value>
    public int ApiPort { get; set; }

    /// <summary>Gets or sets the port of payments-service.</summary>
    /// <value>Defaults to <c>0</c> (a free port). Must be between 0 and 65535.</value>
    public int PaymentsPort { get; set; }

    /// <summary>Gets or sets the address both services listen on.</summary>
    /// <value>Defaults to <c>127.0.0.1</c>. Must be an IP address; a non-loopback address needs <see cref="AllowRemote"/>.</value>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Gets or sets a value indicating whether a non-loopback <see cref="BindAddress"/> is allowed (containers).</summary>
    /// <value>Defaults to <c>false</c>.</value>
    public bool AllowRemote { get; set; }

    /// <summary>Gets or sets the release label (service.version, /health, logs, <c>service_build_info</c>).</summary>
    /// <value>Defaults to <c>dev</c>. Must not be empty.</value>
    public string Release { get; set; } = "dev";

    /// <summary>Gets or sets the environment label of metrics, logs and traces.</summary>
    /// <value>Defaults to <c>local</c>. Must not be empty.</value>
    public string Environment { get; set; } = "local";

    /// <summary>Gets the regression specs, e.g. <c>latency:/v1/items:+20%</c> or <c>errors:/v1/payments:2%</c>.</summary>
    /// <value>Defaults to none. Each must parse with <see cref="Regression.RegressionSpec.Parse"/>.</value>
    public IList<string> Regressions { get; } = [];

    /// <summary>Gets or sets the directory of the payments SQLite database.</summary>
    /// <value>Defaults to <c>null</c>: a fresh temporary directory, deleted when the host is disposed.</value>
    public string? DataDirectory { get; set; }

    /// <summary>Gets or sets the bearer token of the admin endpoints (<c>/admin/dependency-faults</c>).</summary>
    /// <value>Defaults to <c>null</c>: the admin endpoints are disabled (404).</value>
    public string? AdminToken { get; set; }

    /// <summary>Gets or sets the seed of the catalogue, the simulated latencies and the decline and fault draws.</summary>
    /// <value>Defaults to <c>null</c> (a random seed). The catalogue uses 42 when unset so item ids are stable.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the number of catalogue items.</summary>
    /// <value>Defaults to <c>500</c>. Must be between 1 and 100,000.</value>
    public int CatalogSize { get; set; } = 500;

    /// <summary>Gets or sets the factor applied to every endpoint's simulated baseline latency.</summary>
    /// <value>Defaults to <c>1</c>. <c>0</c> switches the simulated latency off. Must be between 0 and 100.</value>
    public double LatencyScale { get; set; } = 1;

    /// <summary>Gets the simulated baseline latency (median) per route template, overriding the defaults.</summary>
    /// <value>Defaults to none (see docs/targets.md for the built-in values). Each must be between 0 and 10 s.</value>
    public IDictionary<string, TimeSpan> EndpointLatencies { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Gets or sets the median latency of the simulated card processor.</summary>
    /// <value>Defaults to 40 ms. Must be between 0 and 10 s and not above <see cref="CardProcessorP99"/>.</value>
    public TimeSpan CardProcessorMedian { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Gets or sets the 99th percentile latency of the simulated card processor (lognormal).</summary>
    /// <value>Defaults to 250 ms. Must be between 0 and 10 s.</value>
    public TimeSpan CardProcessorP99 { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets or sets the timeout of one card-processor attempt.</summary>
    /// <value>Defaults to 2 s. Must be between 10 ms and 60 s.</value>
    public TimeSpan CardProcessorTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many times a failed card-processor call is retried.</summary>
    /// <value>Defaults to <c>1</c>. Must be between 0 and 5.</value>
    public int CardProcessorRetries { get; set; } = 1;

    /// <summary>Gets or sets the OTLP/HTTP endpoint traces are exported to.</summary>
    /// <value>Defaults to <c>null</c>: the <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, and no export when that is unset too.</value>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Gets or sets where the JSON log lines go.</summary>
    /// <value>Defaults to <c>null</c>: standard output. Use <see cref="TextWriter.Null"/> to silence the services.</value>
    public TextWriter? LogOutput { get; set; }

    /// <summary>Gets or sets a value indicating whether every request is logged (one JSON line each).</summary>
    /// <value>Defaults to <c>true</c>.</value>
    public bool LogRequests { get; set; } = true;

    /// <summary>Gets or sets the clock; tests may pass a fake one.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks every setting and throws one exception listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names each one and what was expected.</exception>
    /// <exception cref="FormatException">A regression spec does not parse; the message names the spec and the expected form.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CheckPort(errors, nameof(ApiPort), ApiPort);
        CheckPort(errors, nameof(PaymentsPort), PaymentsPort);
        if (ApiPort != 0 && ApiPort == PaymentsPort)
        {
            errors.Add($"{nameof(ApiPort)} and {nameof(PaymentsPort)} must differ (both are {ApiPort}).");
        }

        if (!IPAddress.TryParse(BindAddress, out var address))
        {
            errors.Add($"{nameof(BindAddress)} '{BindAddress}' must be an IP address such as 127.0.0.1.");
        }
        else if (!IPAddress.IsLoopback(address) && !AllowRemote)
        {
            errors.Add($"{nameof(BindAddress)} '{BindAddress}' is not a loopback address; set {nameof(AllowRemote)} (--allow-remote) to listen on it.");
        }

        if (string.IsNullOrWhiteSpace(Release))
        {
            errors.Add($"{nameof(Release)} must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(Environment))
        {
            errors.Add($"{nameof(Environment)} must not be empty.");
        }

        if (CatalogSize is < 1 or > 100_000)
        {
            errors.Add($"{nameof(CatalogSize)} must be between 1 and 100000 (was {CatalogSize}).");
        }

        if (double.IsNaN(LatencyScale) || LatencyScale is < 0 or > 100)
        {
            errors.Add($"{nameof(LatencyScale)} must be between 0 and 100 (was {LatencyScale}).");
        }

        foreach (var (route, latency) in EndpointLatencies)
        {
            CheckDuration(errors, $"{nameof(EndpointLatencies)}[{route}]", latency, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }

        CheckDuration(errors, nameof(CardProcessorMedian), CardProcessorMedian, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        CheckDuration(errors, nameof(CardProcessorP99), CardProcessorP99, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        if (CardProcessorP99 < CardProcessorMedian)
        {
            errors.Add($"{nameof(CardProcessorP99)} ({CardProcessorP99.TotalMilliseconds} ms) must not be below {nameof(CardProcessorMedian)} ({CardProcessorMedian.TotalMilliseconds} ms).");
        }

        CheckDuration(errors, nameof(CardProcessorTimeout), CardProcessorTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60));
        if (CardProcessorRetries is < 0 or > 5)
        {
            errors.Add($"{nameof(CardProcessorRetries)} must be between 0 and 5 (was {CardProcessorRetries}).");
        }

        if (OtlpEndpoint is { } otlp && (!otlp.IsAbsoluteUri || (otlp.Scheme != Uri.UriSchemeHttp && otlp.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{nameof(OtlpEndpoint)} '{otlp}' must be an absolute http or https URL.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("The target options are invalid:" + System.Environment.NewLine + string.Join(System.Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        // Parsed last so a bad spec surfaces as its own FormatException naming the spec.
        foreach (var spec in Regressions)
        {
            Regression.RegressionSpec.Parse(spec);
        }
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add($"{name} must be between 0 and 65535 (was {port}).");
        }
    }

    private static void CheckDuration(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} must be between {min.TotalMilliseconds} ms and {max.TotalMilliseconds} ms (was {value.TotalMilliseconds} ms).");
        }
    }
}
