using LoadLab.Telemetry;

namespace LoadLab.Sinks.Otlp;

/// <summary>The OTLP trace sink factory the CLI registers by name (<c>--out otlp[=URL]</c>).</summary>
public static class OtlpSinks
{
    /// <summary>The sink name.</summary>
    public const string Name = "otlp";

    /// <summary>
    /// Creates the OTLP trace sink. The endpoint is the argument (a base URL gets /v1/traces), else the profile's
    /// <c>endpoint</c>, else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else
    /// http://localhost:4318/v1/traces. Headers and timeout come from <c>headers</c>/<c>timeout</c> or
    /// OTEL_EXPORTER_OTLP_[TRACES_]HEADERS/_TIMEOUT. Settings: <c>sample</c> (head fraction, default 0.01),
    /// <c>slow</c> (export iterations at least this slow, default 2s, or off), <c>max_queue</c>, <c>batch_size</c>,
    /// <c>interval</c>, <c>retries</c>, <c>max_pending_spans</c>.
    /// </summary>
    /// <param name="context">The argument, settings and environment.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="SinkConfigurationException">The endpoint or a setting is invalid.</exception>
    public static ITelemetrySink Create(SinkCreationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OtlpSink(OtlpSinkOptions.From(context), context.TimeProvider, context.Logger);
    }
}
