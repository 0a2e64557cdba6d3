using System.Net;
using System.Net.Http.Headers;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Sinks.Prometheus.Buffering;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;
using Snappier;

namespace LoadLab.Sinks.Prometheus.RemoteWrite;

/// <summary>Settings of the remote write sink.</summary>
internal sealed record RemoteWriteOptions(
    TimeSpan Interval,
    int BufferSnapshots,
    long MaxSamplesPerSend,
    int Retries,
    TimeSpan Backoff,
    TimeSpan MaxBackoff,
    TimeSpan Timeout);

/// <summary>
/// The "prometheus-rw" sink: every interval, sends what accumulated as Prometheus remote write 1.0
/// (protobuf WriteRequest, snappy block compression) with the samples' own timestamps. 5xx, 429 and connection
/// errors are retried with exponential backoff; what cannot be sent stays buffered (bounded, oldest dropped first)
/// for the next interval; 4xx rejections are not retried. Every backend sample ends up counted exactly once, as
/// Sent or Dropped.
/// </summary>
internal sealed class RemoteWriteSink : BufferedSink
{
    private readonly HttpEndpoint _endpoint;
    private readonly RemoteWriteOptions _options;
    private readonly WriteRequestEncoder _encoder = new();
    private readonly List<SampleBatch> _pending = [];
    private HttpClient? _client;
    private InFlight? _inFlight;

    public RemoteWriteSink(HttpEndpoint endpoint, RemoteWriteOptions options, TimeProvider timeProvider, ILogger logger)
        : base(PrometheusSinks.RemoteWriteName, options.Interval, options.BufferSnapshots, latestOnly: false, timeProvider, logger)
    {
        _endpoint = endpoint;
        _options = options;
    }

    protected override string Endpoint => _endpoint.Display;

    protected override ValueTask OnStartAsync(SinkContext context, CancellationToken cancellationToken)
    {
        _client = _endpoint.CreateClient(_options.Timeout);
        Logger.LogInformation("Remote writing metrics to {Url} every {Interval}", Endpoint, FlushInterval);
        return ValueTask.CompletedTask;
    }

    protected override long Weigh(MetricSample[] samples) => WriteRequestEncoder.Weigh(samples);

    protected override async Task FlushAsync(IReadOnlyList<SampleBatch> batches, bool final, CancellationToken cancellationToken)
    {
        _pending.AddRange(batches);
        TrimPending();
        try
        {
            while (_inFlight is not null || _pending.Count > 0)
            {
                _inFlight ??= Take();
                var outcome = await SendAsync(_inFlight.Payload, final, cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.Retryable)
                {
                    // Keep it (and the rest) for the next interval; the buffer bound protects memory.
                    return;
                }

                if (outcome == Outcome.Sent)
                {
                    CountSent(_inFlight.Weight);
                }
                else
                {
                    CountDropped(_inFlight.Weight);
                }

                _inFlight = null;
            }
        }
        finally
        {
            if (final)
            {
                // Nothing comes after the final flush: whatever is still here was not delivered.
                CountDropped((_inFlight?.Weight ?? 0) + _pending.Sum(b => b.Weight));
                _inFlight = null;
                _pending.Clear();
            }
        }
    }

    // Retried errors that ended in delivery do not make the run's telemetry incomplete; drops do.
    protected override bool IsDelivered(SinkReport report) => report.Dropped == 0;

    protected override ValueTask OnDisposeAsync()
    {
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }

    private InFlight Take()
    {
        var count = 0;
        long weight = 0;
        while (count < _pending.Count && (count == 0 || weight + _pending[count].Weight <= _options.MaxSamplesPerSend))
        {
            weight += _pending[count].Weight;
            count++;
        }

        var chunk = _pending.GetRange(0, count);
        _pending.RemoveRange(0, count);
        var payload = Snappy.CompressToArray(_encoder.Encode(chunk.Select(b => b.Samples)));
        return new InFlight(payload, weight);
    }

    private void TrimPending()
    {
        // The channel holds at most BufferSnapshots; so does the backlog behind a failing backend.
        while (_pending.Count > _options.BufferSnapshots)
        {
            CountDropped(_pending[0].Weight);
            _pending.RemoveAt(0);
        }
    }

    private async Task<Outcome> SendAsync(byte[] payload, bool final, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string error;
            try
            {
                using var content = new ByteArrayContent(payload);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                content.Headers.ContentEncoding.Add("snappy");
                using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.Url) { Content = content };
                request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
                using var response = await _client!.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return Outcome.Sent;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                error = $"remote write answered {(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 300 ? body[..300] : body).Trim()}";
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    // The spec: 4xx means the data is bad and retrying will not help.
                    RecordError(error);
                    Logger.LogWarning("Remote write to {Url} rejected a batch: {Error}", Endpoint, error);
                    return Outcome.Rejected;
                }
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"remote write timed out after {_options.Timeout}";
            }

            RecordError(error);
            if (attempt >= _options.Retries)
            {
                Logger.LogWarning("Remote write to {Url} failed {Attempts} times, keeping the batch{Later}: {Error}", Endpoint, attempt + 1, final ? "" : " for later", error);
                return Outcome.Retryable;
            }

            var delay = TimeSpan.FromTicks(Math.Min(_options.MaxBackoff.Ticks, _options.Backoff.Ticks << Math.Min(attempt, 20)));
            await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum Outcome
    {
        Sent,
        Rejected,
        Retryable,
    }

    private sealed record InFlight(byte[] Payload, long Weight);
}
