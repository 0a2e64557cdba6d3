using System.Diagnostics;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Sinks.Otlp.Sampling;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LoadLab.Sinks.Otlp;

/// <summary>
/// The "otlp" sink: from start to stop, a <see cref="TracerProvider"/> listens to the engine ("LoadLab") and HTTP
/// ("LoadLab.Http") activity sources, samples heads with <see cref="HarnessSampler"/>, and exports head-sampled traces
/// plus failed and slow iterations (<see cref="TailExportProcessor"/>) over OTLP/HTTP protobuf. Metrics go to the
/// Prometheus sinks; <see cref="Publish"/> ignores them.
/// </summary>
internal sealed class OtlpSink : ITelemetrySink
{
    private readonly OtlpSinkOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private TracerProvider? _provider;
    private TailExportProcessor? _processor;
    private string? _stopError;

    public OtlpSink(OtlpSinkOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Name => OtlpSinks.Name;

    internal OtlpSinkOptions Options => _options;

    internal TailExportProcessor? Processor => _processor;

    public ValueTask StartAsync(SinkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var labels = context.RunLabels;
        var release = labels[MetricNames.Labels.Release] ?? "unknown";
        var environment = labels[MetricNames.Labels.Environment] ?? "unknown";
        var runId = string.IsNullOrEmpty(context.RunId) ? labels[MetricNames.Labels.RunId] ?? "" : context.RunId;
        var attributes = new List<KeyValuePair<string, object>>
        {
            new("deployment.environment", environment),
            new("deployment.environment.name", environment),
            new("release", release),
            new("run_id", runId),
            new(TraceConventions.RunIdTag, runId),
            new("loadlab.segment", context.Segment),
        };
        if (labels[MetricNames.Labels.Service] is { } target)
        {
            attributes.Add(new("loadlab.target_service", target));
        }

        if (!string.IsNullOrEmpty(context.Profile))
        {
            attributes.Add(new("loadlab.profile", context.Profile));
        }

        var resource = ResourceBuilder.CreateEmpty()
            .AddService(TraceConventions.ServiceName, serviceVersion: release, serviceInstanceId: $"{runId}/{context.Segment}", autoGenerateServiceInstanceId: false)
            .AddAttributes(attributes);
        var exporterOptions = new OtlpExporterOptions
        {
            Endpoint = _options.TracesEndpoint,
            Protocol = OtlpExportProtocol.HttpProtobuf,
            TimeoutMilliseconds = _options.TimeoutMilliseconds,
        };
        if (_options.Headers is not null)
        {
            exporterOptions.Headers = _options.Headers;
        }

        // Failed and slow iterations are exported whatever the head decided: the engine keeps their child spans until it knows.
        context.RequestTailExport(_options.Export.SlowThreshold);
        var exporter = new OtlpTraceExporter(exporterOptions);
        _processor = new TailExportProcessor(exporter, _options.Export, _timeProvider, _logger);
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(TraceConventions.ActivitySourceName, TraceConventions.HttpActivitySourceName)
            .SetResourceBuilder(resource)
            .SetSampler(new HarnessSampler(_options.SampleFraction))
            .AddProcessor(_processor)
            .Build();
        _logger.LogInformation(
            "Exporting traces to {Endpoint} (head sample {Fraction:P2}, plus failed and slow iterations)", Display(_options.TracesEndpoint), _options.SampleFraction);
        return ValueTask.CompletedTask;
    }

    public void Publish(ReadOnlySpan<MetricSample> samples)
    {
        // Traces come from Activities, not from metric snapshots.
    }

    public async ValueTask StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        var provider = Interlocked.Exchange(ref _provider, null);
        if (provider is null)
        {
            return;
        }

        // The SDK's flush and shutdown are synchronous; run them off the caller's thread, bounded by the token.
        var timeout = cancellationToken.CanBeCanceled ? 30_000 : 15_000;
        var stop = Task.Run(
            () =>
            {
                provider.ForceFlush(timeout);
                provider.Shutdown(timeout);
                provider.Dispose();
            },
            CancellationToken.None);
        try
        {
            await stop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _stopError = "stop was cancelled before every span was exported";
        }

        if (_processor is { } p)
        {
            _logger.LogInformation(
                "OTLP: {Sent} spans exported ({Head} head-sampled, {Failed} failed and {Slow} slow iterations), {Dropped} dropped",
                p.Sent, p.HeadTraces, p.FailedTraces, p.SlowTraces, p.Dropped);
        }
    }

    public SinkReport GetReport()
    {
        var p = _processor;
        var report = new SinkReport
        {
            Name = Name,
            Endpoint = Display(_options.TracesEndpoint),
            Sent = p?.Sent ?? 0,
            Dropped = p?.Dropped ?? 0,
            Errors = p?.Errors ?? 0,
            LastError = _stopError ?? p?.LastError,
        };
        // Failed attempts that a retry made good are errors, not losses: delivered means nothing was dropped.
        report.Delivered = report.Dropped == 0 && _stopError is null;
        return report;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _provider, null)?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Display(Uri url) => new UriBuilder(url) { UserName = "", Password = "", Query = "" }.Uri.GetLeftPart(UriPartial.Path);
}
