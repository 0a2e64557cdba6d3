using LoadLab.Metrics;
using LoadLab.Results;
using Microsoft.Extensions.Logging;

namespace LoadLab.Telemetry;

/// <summary>
/// A telemetry destination (k6 <c>Output</c>, NBomber <c>IReportingSink</c>). The engine calls
/// <see cref="StartAsync"/> once before load starts, <see cref="Publish"/> every second from a
/// background loop, and <see cref="StopAsync"/> once at the end, also after Ctrl+C.
/// </summary>
public interface ITelemetrySink : IAsyncDisposable
{
    /// <summary>Gets the sink name, as used with <c>--out</c> (prometheus, pushgateway, prometheus-rw, otlp).</summary>
    string Name { get; }

    /// <summary>Starts the sink. It may fail: then the run fails before load starts.</summary>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the sink is ready.</returns>
    ValueTask StartAsync(SinkContext context, CancellationToken cancellationToken);

    /// <summary>Takes one snapshot of all series. Never blocks and never throws.</summary>
    /// <param name="samples">The samples; only valid during the call.</param>
    void Publish(ReadOnlySpan<MetricSample> samples);

    /// <summary>Flushes what is left, with the final result.</summary>
    /// <param name="summary">The run's outcome and its final samples.</param>
    /// <param name="cancellationToken">Bounds the final flush.</param>
    /// <returns>A task that completes when the sink has flushed or given up.</returns>
    ValueTask StopAsync(RunSummary summary, CancellationToken cancellationToken);

    /// <summary>Reports what the sink delivered and what it could not.</summary>
    /// <returns>The report, for the result file and the summary.</returns>
    SinkReport GetReport();
}

/// <summary>The run a sink serves.</summary>
public sealed class SinkContext
{
    /// <summary>Gets or sets the run id.</summary>
    public string RunId { get; init; } = "";

    /// <summary>Gets or sets the run labels (service, environment, release, run_id, and instance for segments).</summary>
    public LabelSet RunLabels { get; init; } = LabelSet.Empty;

    /// <summary>Gets or sets the profile name.</summary>
    public string Profile { get; init; } = "";

    /// <summary>Gets or sets the scenario names.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>Gets or sets the segment as "I/N".</summary>
    public string Segment { get; init; } = "1/1";

    /// <summary>Gets or sets the clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets or sets the logger.</summary>
    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Gets a value indicating whether a sink exports failed (and slow) iterations that the head did not sample.</summary>
    public bool TailExportRequested { get; private set; }

    /// <summary>Gets the shortest response time that makes an iteration slow for a sink, or null when none asks.</summary>
    public TimeSpan? SlowIterationThreshold { get; private set; }

    /// <summary>
    /// Called by a sink, during <see cref="ITelemetrySink.StartAsync"/>, that exports failed iterations and, with a
    /// threshold, slow ones, whatever the head sampling decided. The engine then keeps the child spans of unsampled
    /// iterations cheaply and turns them into activities only for iterations that end failed or slow.
    /// </summary>
    /// <param name="slowThreshold">The response time from which an iteration is slow, or null to export failed ones only.</param>
    public void RequestTailExport(TimeSpan? slowThreshold)
    {
        TailExportRequested = true;
        if (slowThreshold is { } slow && (SlowIterationThreshold is null || slow < SlowIterationThreshold))
        {
            SlowIterationThreshold = slow;
        }
    }
}

/// <summary>The end of a run, as sinks see it.</summary>
public sealed class RunSummary
{
    /// <summary>Gets or sets the result (also written to result.json).</summary>
    public required RunResult Result { get; init; }

    /// <summary>Gets or sets the final samples, including <c>loadlab_run_passed</c>.</summary>
    public IReadOnlyList<MetricSample> FinalSamples { get; init; } = [];
}

/// <summary>What a sink factory receives: the text after <c>--out name=</c> and the profile's settings.</summary>
public sealed class SinkCreationContext
{
    /// <summary>Gets or sets the argument after '=' in <c>--out name=ARG</c>, if any.</summary>
    public string? Argument { get; init; }

    /// <summary>Gets or sets the settings from the profile's <c>outputs:</c> entry (keys as written).</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets or sets the environment variables (for OTEL_EXPORTER_OTLP_* and the like).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets or sets the clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets or sets the logger.</summary>
    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}

/// <summary>Creates a sink from its <c>--out</c> argument and profile settings.</summary>
/// <param name="context">The argument and settings.</param>
/// <returns>The sink.</returns>
/// <exception cref="SinkConfigurationException">The argument or a setting is invalid.</exception>
public delegate ITelemetrySink SinkFactory(SinkCreationContext context);

/// <summary>A sink argument or setting is invalid; the message names it and what was expected.</summary>
public sealed class SinkConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SinkConfigurationException"/> class.</summary>
    public SinkConfigurationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SinkConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public SinkConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SinkConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SinkConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
