using System.Globalization;
using LoadLab.Sinks.Otlp.Sampling;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Otlp;

/// <summary>The resolved settings of the OTLP sink.</summary>
internal sealed record OtlpSinkOptions(Uri TracesEndpoint, string? Headers, int TimeoutMilliseconds, double SampleFraction, ExportOptions Export)
{
    public const string DefaultTracesEndpoint = "http://localhost:4318/v1/traces";

    /// <summary>
    /// Resolves the endpoint with the precedence: <c>--out otlp=URL</c>, the profile's <c>endpoint</c>,
    /// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is), OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces), localhost:4318.
    /// </summary>
    public static OtlpSinkOptions From(SinkCreationContext context)
    {
        var settings = new SinkSettings(OtlpSinks.Name, context.Configuration);
        var env = context.Environment;
        Uri endpoint;
        var explicitUrl = context.Argument ?? settings.GetString("endpoint");
        if (!string.IsNullOrWhiteSpace(explicitUrl))
        {
            endpoint = ParseUrl(explicitUrl, $"--out {OtlpSinks.Name}");
            if (endpoint.AbsolutePath is "" or "/")
            {
                endpoint = new Uri(endpoint, "v1/traces");
            }
        }
        else if (Get(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") is { } tracesUrl)
        {
            endpoint = ParseUrl(tracesUrl, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        }
        else if (Get(env, "OTEL_EXPORTER_OTLP_ENDPOINT") is { } baseUrl)
        {
            endpoint = ParseUrl(baseUrl.TrimEnd('/') + "/v1/traces", "OTEL_EXPORTER_OTLP_ENDPOINT");
        }
        else
        {
            endpoint = new Uri(DefaultTracesEndpoint);
        }

        var headersSource = settings.GetString("headers") is not null ? "outputs.otlp.headers"
            : Get(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS") is not null ? "OTEL_EXPORTER_OTLP_TRACES_HEADERS" : "OTEL_EXPORTER_OTLP_HEADERS";
        var headers = settings.GetString("headers") ?? Get(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS") ?? Get(env, "OTEL_EXPORTER_OTLP_HEADERS");
        if (headers is not null)
        {
            ValidateHeaders(headers, headersSource);
        }

        var timeout = 10_000;
        var timeoutText = Get(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") ?? Get(env, "OTEL_EXPORTER_OTLP_TIMEOUT");
        if (settings.GetString("timeout") is not null)
        {
            timeout = (int)settings.GetDuration("timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2)).TotalMilliseconds;
        }
        else if (timeoutText is not null)
        {
            if (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout is < 1 or > 600_000)
            {
                throw new SinkConfigurationException($"OTEL_EXPORTER_OTLP_TIMEOUT: expected milliseconds between 1 and 600000, got '{timeoutText}'.");
            }
        }

        var export = new ExportOptions(
            settings.GetOptionalDuration("slow", TimeSpan.FromSeconds(2), TimeSpan.FromHours(1)),
            settings.GetInt("max_queue", 8192, 16, 1_000_000),
            settings.GetInt("max_pending_spans", 100_000, 16, 10_000_000),
            settings.GetInt("batch_size", 512, 1, 100_000),
            settings.GetDuration("interval", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1)),
            settings.GetInt("retries", 2, 0, 10));
        return new OtlpSinkOptions(endpoint, headers, timeout, settings.GetFraction("sample", 0.01), export);
    }

    private static string? Get(IReadOnlyDictionary<string, string> env, string name) =>
        env.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Uri ParseUrl(string text, string source)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new SinkConfigurationException($"{source}: expected an http:// or https:// URL such as http://localhost:4318, got '{text}'.");
        }

        return url;
    }

    private static void ValidateHeaders(string headers, string source)
    {
        foreach (var pair in headers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // The value may be a secret: name the source and the key, never the value.
                throw new SinkConfigurationException($"{source}: expected comma-separated key=value pairs (W3C baggage format); an entry has no key or '='.");
            }
        }
    }
}
