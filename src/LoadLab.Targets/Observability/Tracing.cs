using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LoadLab.Targets.Observability;

/// <summary>OpenTelemetry tracing of a target service: ASP.NET Core and HttpClient spans, plus the card-processor spans.</summary>
internal static class Tracing
{
    public const string ActivitySourceName = "LoadLab.Targets";
    public const string InstanceTag = "loadlab.target.instance";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>The OTLP/HTTP traces URL from the option, else from OTEL_EXPORTER_OTLP_ENDPOINT; null means no export.</summary>
    public static Uri? ResolveTracesEndpoint(Uri? configured)
    {
        var endpoint = configured;
        if (endpoint is null)
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
            if (!string.IsNullOrWhiteSpace(fromEnvironment) && Uri.TryCreate(fromEnvironment, UriKind.Absolute, out var traces))
            {
                // The signal-specific variable is used as is (OpenTelemetry specification).
                return traces;
            }

            fromEnvironment = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
            if (string.IsNullOrWhiteSpace(fromEnvironment) || !Uri.TryCreate(fromEnvironment, UriKind.Absolute, out endpoint))
            {
                return null;
            }
        }

        var path = endpoint.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/v1/traces", StringComparison.Ordinal)
            ? endpoint
            : new UriBuilder(endpoint) { Path = path + "/v1/traces" }.Uri;
    }

    public static void Add(IServiceCollection services, ServiceIdentity identity, Uri? configuredEndpoint)
    {
        var tracesEndpoint = ResolveTracesEndpoint(configuredEndpoint);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(identity.Service, serviceVersion: identity.Release, serviceInstanceId: identity.InstanceId)
                .AddAttributes([new("deployment.environment.name", identity.Environment)]))
            .WithTracing(tracing =>
            {
                // Instrumentation always runs so every request has a trace id for the logs and
                // honours the caller's traceparent; spans are only exported when an endpoint is set.
                tracing.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource(ActivitySourceName);
                if (tracesEndpoint is not null)
                {
                    var exporter = new InstanceOtlpExporter(
                        new OtlpExporterOptions { Endpoint = tracesEndpoint, Protocol = OtlpExportProtocol.HttpProtobuf },
                        identity.InstanceId);
                    tracing.AddProcessor(new BatchActivityExportProcessor(exporter, scheduledDelayMilliseconds: 1000));
                }
            });
    }

    /// <summary>
    /// Exports only this service instance's spans. ASP.NET Core's ActivitySource is process-wide, so
    /// with api-service and payments-service in one process each tracer provider sees both services' spans.
    /// </summary>
    private sealed class InstanceOtlpExporter(OtlpExporterOptions options, string instanceId) : OtlpTraceExporter(options)
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            var mine = new List<Activity>((int)batch.Count);
            foreach (var activity in batch)
            {
                if (activity.GetTagItem(InstanceTag) as string == instanceId)
                {
                    mine.Add(activity);
                }
            }

            if (mine.Count == 0)
            {
                return ExportResult.Success;
            }

            var items = mine.ToArray();
            return base.Export(new Batch<Activity>(items, items.Length));
        }
    }
}
