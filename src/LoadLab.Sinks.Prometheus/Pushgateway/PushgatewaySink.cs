using System.Net;
using System.Text;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Sinks.Prometheus.Buffering;
using LoadLab.Sinks.Prometheus.Exposition;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;

namespace LoadLab.Sinks.Prometheus.Pushgateway;

/// <summary>
/// The "pushgateway" sink: PUTs the latest snapshot (Prometheus text format) to
/// URL/metrics/job/loadlab/run_id/ID/instance/SEGMENT every interval and once more at the end.
/// A push replaces the group, so snapshots supersede each other and nothing accumulates.
/// </summary>
internal sealed class PushgatewaySink : BufferedSink
{
    private static readonly string[] s_groupingLabels = [MetricNames.Labels.RunId, MetricNames.Labels.Instance, "job"];
    private readonly HttpEndpoint _endpoint;
    private readonly string _job;
    private readonly TimeSpan _timeout;
    private readonly LatestSamples _latest = new();
    private HttpClient? _client;
    private Uri? _groupUrl;
    private bool _finalDelivered;

    public PushgatewaySink(HttpEndpoint endpoint, string job, TimeSpan interval, TimeSpan timeout, TimeProvider timeProvider, ILogger logger)
        : base(PrometheusSinks.PushgatewayName, interval, capacity: 4, latestOnly: true, timeProvider, logger)
    {
        _endpoint = endpoint;
        _job = job;
        _timeout = timeout;
    }

    /// <summary>Gets the group URL (valid after start).</summary>
    public Uri GroupUrl => _groupUrl ?? _endpoint.Url;

    protected override string Endpoint => new Uri(GroupUrl.GetLeftPart(UriPartial.Path)).ToString();

    protected override ValueTask OnStartAsync(SinkContext context, CancellationToken cancellationToken)
    {
        var runId = string.IsNullOrEmpty(context.RunId) ? context.RunLabels[MetricNames.Labels.RunId] ?? "unknown" : context.RunId;
        var instance = context.RunLabels[MetricNames.Labels.Instance] ?? context.Segment;
        var path = _endpoint.Url.AbsolutePath.TrimEnd('/') + "/metrics" + Segment("job", _job) + Segment(MetricNames.Labels.RunId, runId) +
                   Segment(MetricNames.Labels.Instance, instance);
        _groupUrl = new UriBuilder(_endpoint.Url) { Path = path }.Uri;
        _client = _endpoint.CreateClient(_timeout);
        Logger.LogInformation("Pushing metrics to {Url} every {Interval}", Endpoint, FlushInterval);
        return ValueTask.CompletedTask;
    }

    protected override async Task FlushAsync(IReadOnlyList<SampleBatch> batches, bool final, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            _latest.Update(batch.Samples);
        }

        // Push when there is news, and always once at the end (the final state must reach the Pushgateway).
        if (_client is null || _latest.Count == 0 || (batches.Count == 0 && !final))
        {
            return;
        }

        // PUT replaces the whole group, so always push every series seen, at its latest value.
        var latest = _latest.ToArray();
        var text = new StringBuilder(64 * 1024);
        TextExposition.Write(text, latest, ExpositionFormat.PrometheusText, extraLabels: s_groupingLabels);
        using var content = new StringContent(text.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentType.Parameters.Add(new System.Net.Http.Headers.NameValueHeaderValue("version", "0.0.4"));
        try
        {
            using var response = await _client.PutAsync(_groupUrl, content, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                CountSent(latest.Length);
                _finalDelivered = final;
                return;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Fail($"Pushgateway answered {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body)}", final, latest.Length);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Fail(ex is TaskCanceledException && !cancellationToken.IsCancellationRequested ? $"push timed out after {_timeout}" : ex.Message, final, latest.Length);
        }
    }

    protected override bool IsDelivered(SinkReport report) => _finalDelivered || (_latest.Count == 0 && report.Errors == 0);

    protected override ValueTask OnDisposeAsync()
    {
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Segment(string name, string value) =>
        value.Length == 0 || value.Contains('/', StringComparison.Ordinal)
            ? $"/{name}@base64/{Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}{(value.Length == 0 ? "=" : "")}"
            : $"/{name}/{WebUtility.UrlEncode(value)}";

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text.Trim();

    private void Fail(string message, bool final, long series)
    {
        RecordError(message);
        Logger.LogWarning("Pushgateway push to {Url} failed: {Error}", Endpoint, message);
        if (final)
        {
            // The final state never reached the Pushgateway: every series of it is undelivered.
            CountDropped(series);
        }
    }
}
