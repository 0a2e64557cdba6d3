using System.Net;
using System.Net.Sockets;
using System.Text;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Sinks.Prometheus.Exposition;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;

namespace LoadLab.Sinks.Prometheus.Scrape;

/// <summary>
/// The "prometheus" sink: serves the latest snapshot on http://host:port/metrics for Prometheus to scrape,
/// in OpenMetrics (with trace_id exemplars on the latency buckets) when the scraper asks for it, else in the
/// Prometheus text format. A minimal HTTP/1.1 server on a <see cref="TcpListener"/>: one GET per connection.
/// </summary>
internal sealed class ScrapeSink : ITelemetrySink
{
    private const int MaxRequestBytes = 16 * 1024;
    private readonly IPEndPoint _requested;
    private readonly TimeSpan _linger;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly object _publishGate = new();
    private readonly LatestSamples _latest = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile ScrapeState _state = ScrapeState.Empty;
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _scrapes;
    private long _errors;
    private long _publishedVersion;
    private long _scrapedVersion = -1;
    private string? _lastError;

    public ScrapeSink(IPEndPoint endpoint, TimeSpan linger, TimeProvider timeProvider, ILogger logger)
    {
        _requested = endpoint;
        _linger = linger;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Name => PrometheusSinks.ScrapeName;

    /// <summary>Gets the bound address (the real port when 0 was asked for); valid after start.</summary>
    public IPEndPoint? BoundEndpoint { get; private set; }

    /// <summary>Gets the URL Prometheus should scrape; valid after start.</summary>
    public Uri MetricsUrl => new($"http://{BoundEndpoint}/metrics");

    public ValueTask StartAsync(SinkContext context, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(_requested);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new SinkConfigurationException($"--out {Name}={_requested}: cannot listen there: {ex.Message}", ex);
        }

        _listener = listener;
        BoundEndpoint = (IPEndPoint)listener.LocalEndpoint;
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        _logger.LogInformation("Prometheus scrape endpoint on {Url}", MetricsUrl);
        return ValueTask.CompletedTask;
    }

    public void Publish(ReadOnlySpan<MetricSample> samples)
    {
        try
        {
            if (samples.IsEmpty)
            {
                return;
            }

            var copy = samples.ToArray();
            lock (_publishGate)
            {
                // Only Publish takes this lock; scrapes read the immutable state without waiting.
                _latest.Update(copy);
                _state = _state.Next(_latest.ToArray(), copy);
                _publishedVersion++;
            }
        }
        catch (Exception ex)
        {
            RecordError(ex.Message);
        }
    }

    public async ValueTask StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.FinalSamples.Count > 0)
        {
            Publish(summary.FinalSamples.ToArray());
        }

        // When someone is scraping, keep serving until the final values were scraped once (bounded by linger).
        if (Interlocked.Read(ref _scrapes) > 0 && _linger > TimeSpan.Zero)
        {
            var target = Interlocked.Read(ref _publishedVersion);
            var start = _timeProvider.GetTimestamp();
            try
            {
                while (Interlocked.Read(ref _scrapedVersion) < target && _timeProvider.GetElapsedTime(start) < _linger)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Stop was bounded by the caller.
            }
        }

        await ShutdownAsync().ConfigureAwait(false);
    }

    public SinkReport GetReport()
    {
        var scrapes = Interlocked.Read(ref _scrapes);
        var hadData = Interlocked.Read(ref _publishedVersion) > 0;
        return new SinkReport
        {
            Name = Name,
            Endpoint = BoundEndpoint is null ? _requested.ToString() : MetricsUrl.ToString(),
            Sent = scrapes,
            Errors = Interlocked.Read(ref _errors),
            Dropped = 0,
            Delivered = !hadData || scrapes > 0,
            LastError = _lastError ?? (hadData && scrapes == 0 ? "the endpoint was never scraped during the run" : null),
        };
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    /// <summary>Renders the current snapshot (what a scrape returns).</summary>
    internal string Render(ExpositionFormat format)
    {
        var state = _state;
        var text = new StringBuilder(64 * 1024);
        TextExposition.Write(text, state.Samples, format, state.LookupExemplar);
        return text.ToString();
    }

    private async Task ShutdownAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
    }

    private void RecordError(string message)
    {
        Interlocked.Increment(ref _errors);
        _lastError = message;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                RecordError(ex.Message);
                continue;
            }

            _ = Task.Run(() => ServeAsync(client), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, timeout.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                var (method, path, accept) = request.Value;
                int status;
                string contentType;
                string body;
                if (method is not ("GET" or "HEAD"))
                {
                    (status, contentType, body) = (405, "text/plain; charset=utf-8", "Only GET is supported.\n");
                }
                else if (path == "/metrics" || path.StartsWith("/metrics?", StringComparison.Ordinal))
                {
                    var openMetrics = accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase);
                    var version = Interlocked.Read(ref _publishedVersion);
                    body = Render(openMetrics ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText);
                    contentType = openMetrics ? TextExposition.OpenMetricsContentType : TextExposition.PrometheusContentType;
                    status = 200;
                    Interlocked.Increment(ref _scrapes);
                    InterlockedMax(ref _scrapedVersion, version);
                }
                else
                {
                    (status, contentType, body) = (404, "text/plain; charset=utf-8", "LoadLab serves metrics on /metrics.\n");
                }

                var payload = Encoding.UTF8.GetBytes(body);
                var head = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status} {(status == 200 ? "OK" : status == 404 ? "Not Found" : "Method Not Allowed")}\r\n" +
                    $"Content-Type: {contentType}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, timeout.Token).ConfigureAwait(false);
                if (method != "HEAD")
                {
                    await stream.WriteAsync(payload, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // A scraper that goes away mid-request is not a sink failure.
            }
            catch (Exception ex)
            {
                RecordError(ex.Message);
            }
        }
    }

    private static async Task<(string Method, string Path, string Accept)?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var lines = text[..end].Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length < 2)
            {
                return null;
            }

            var accept = "";
            foreach (var line in lines.Skip(1))
            {
                if (line.StartsWith("Accept:", StringComparison.OrdinalIgnoreCase))
                {
                    accept = line["Accept:".Length..].Trim();
                }
            }

            return (parts[0], parts[1], accept);
        }

        return null;
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var previous = Interlocked.CompareExchange(ref location, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }

    /// <summary>An immutable snapshot plus the latest exemplar of each histogram bucket.</summary>
    private sealed class ScrapeState(MetricSample[] samples, Dictionary<(string, LabelSet), Exemplar?[]> exemplars)
    {
        public static ScrapeState Empty { get; } = new([], []);

        public MetricSample[] Samples { get; } = samples;

        public ScrapeState Next(MetricSample[] current, MetricSample[] published)
        {
            var map = exemplars;
            foreach (var sample in published)
            {
                if (sample.Kind != MetricKind.Histogram || sample.Exemplars is not { Length: > 0 })
                {
                    continue;
                }

                if (ReferenceEquals(map, exemplars))
                {
                    map = new Dictionary<(string, LabelSet), Exemplar?[]>(exemplars);
                }

                var key = (sample.Name, sample.Labels);
                var buckets = map.TryGetValue(key, out var existing) ? (Exemplar?[])existing.Clone() : new Exemplar?[HistogramBuckets.Count + 1];
                foreach (var exemplar in sample.Exemplars)
                {
                    buckets[HistogramBuckets.IndexOf(exemplar.ValueSeconds)] = exemplar;
                }

                map[key] = buckets;
            }

            return new ScrapeState(current, map);
        }

        public Exemplar? LookupExemplar(string name, LabelSet labels, int bucket) =>
            exemplars.TryGetValue((name, labels), out var buckets) ? buckets[bucket] : null;
    }
}
