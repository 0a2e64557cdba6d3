using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LoadLab.TestUtils.Servers;

/// <summary>A scrape job for <see cref="PrometheusServer"/>.</summary>
/// <param name="Job">The job name.</param>
/// <param name="Target">host:port, on loopback.</param>
/// <param name="MetricsPath">The path, /metrics by default.</param>
/// <param name="HonorLabels">Keep the target's job/instance labels (needed for the Pushgateway).</param>
public sealed record ScrapeTarget(string Job, string Target, string MetricsPath = "/metrics", bool HonorLabels = false);

/// <summary>
/// A real Prometheus (/usr/bin/prometheus, Debian package <c>prometheus</c>) on a free 127.0.0.1 port,
/// with a temporary data directory, the remote write receiver and exemplar storage enabled, scraping
/// the given targets every second. Dispose kills it and deletes the data.
/// </summary>
/// <example>
/// <code>
/// using var prometheus = await PrometheusServer.StartAsync();
/// // remote write to prometheus.RemoteWriteUrl, then:
/// var total = await prometheus.QueryScalarAsync("sum(loadlab_requests_total)");
/// </code>
/// </example>
public sealed class PrometheusServer : IDisposable
{
    /// <summary>The binary; override with the PROMETHEUS_BIN environment variable.</summary>
    public static readonly string BinaryPath = Environment.GetEnvironmentVariable("PROMETHEUS_BIN") ?? "/usr/bin/prometheus";

    private readonly ServerProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly TimeSpan _scrapeInterval;

    private PrometheusServer(ServerProcess process, string directory, TimeSpan scrapeInterval)
    {
        _process = process;
        _directory = directory;
        _scrapeInterval = scrapeInterval;
        BaseAddress = new Uri($"http://127.0.0.1:{process.Port}/");
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Gets the base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the port.</summary>
    public int Port => _process.Port;

    /// <summary>Gets the remote write endpoint (/api/v1/write).</summary>
    public Uri RemoteWriteUrl => new(BaseAddress, "api/v1/write");

    /// <summary>Gets a value indicating whether the process has exited (e.g. after <see cref="Kill"/>).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Gets the server's recent log output.</summary>
    public string Output => _process.Output;

    /// <summary>Starts Prometheus and waits for /-/ready.</summary>
    /// <param name="targets">Scrape jobs (may be empty: remote write only).</param>
    /// <param name="scrapeInterval">The scrape interval; 1 second by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">Prometheus is not installed or did not start.</exception>
    public static async Task<PrometheusServer> StartAsync(
        IEnumerable<ScrapeTarget>? targets = null, TimeSpan? scrapeInterval = null, CancellationToken cancellationToken = default)
    {
        ServerProcess.RequireBinary(BinaryPath, "prometheus");
        var interval = scrapeInterval ?? TimeSpan.FromSeconds(1);
        var directory = Directory.CreateTempSubdirectory("loadlab-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, BuildConfig(targets ?? [], interval), cancellationToken).ConfigureAwait(false);
        try
        {
            var process = await ServerProcess.StartAsync(
                BinaryPath,
                [
                    $"--config.file={config}",
                    $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                    "--web.listen-address=127.0.0.1:{port}",
                    "--web.enable-remote-write-receiver",
                    "--web.enable-lifecycle",
                    "--enable-feature=exemplar-storage",
                    "--storage.tsdb.retention.time=1d",
                    "--log.level=warn",
                ],
                "/-/ready",
                TimeSpan.FromSeconds(30),
                cancellationToken).ConfigureAwait(false);
            return new PrometheusServer(process, directory, interval);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>Replaces the scrape jobs and reloads the configuration (POST /-/reload).</summary>
    /// <param name="targets">The new jobs.</param>
    /// <param name="cancellationToken">Cancels the reload.</param>
    /// <returns>A task that completes when Prometheus has reloaded.</returns>
    public async Task SetScrapeTargetsAsync(IEnumerable<ScrapeTarget> targets, CancellationToken cancellationToken = default)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "prometheus.yml"), BuildConfig(targets, _scrapeInterval), cancellationToken)
            .ConfigureAwait(false);
        using var response = await _http.PostAsync(new Uri("-/reload", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs an instant query and returns data.result (an array of {metric, value}).</summary>
    /// <param name="promql">The query.</param>
    /// <param name="time">The evaluation time; now by default.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The result array.</returns>
    public Task<JsonElement> QueryAsync(string promql, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string> { ["query"] = promql };
        if (time is { } t)
        {
            form["time"] = ToUnix(t);
        }

        return PostAsync("api/v1/query", form, cancellationToken);
    }

    /// <summary>Runs an instant query that yields at most one series and returns its value.</summary>
    /// <param name="promql">The query.</param>
    /// <param name="time">The evaluation time; now by default.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The value, or null when the result is empty.</returns>
    /// <exception cref="InvalidOperationException">The query returned more than one series.</exception>
    public async Task<double?> QueryScalarAsync(string promql, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        var result = await QueryAsync(promql, time, cancellationToken).ConfigureAwait(false);
        if (result.ValueKind == JsonValueKind.Array)
        {
            if (result.GetArrayLength() == 0)
            {
                return null;
            }

            if (result.GetArrayLength() > 1)
            {
                throw new InvalidOperationException($"'{promql}' returned {result.GetArrayLength()} series: {result}");
            }

            return ParseValue(result[0].GetProperty("value")[1]);
        }

        // A scalar result: [time, "value"].
        return ParseValue(result[1]);
    }

    /// <summary>Runs an instant query and returns each series' labels with its value.</summary>
    /// <param name="promql">The query.</param>
    /// <param name="time">The evaluation time; now by default.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The series.</returns>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryVectorAsync(
        string promql, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        var result = await QueryAsync(promql, time, cancellationToken).ConfigureAwait(false);
        var list = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var series in result.EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            list.Add((labels, ParseValue(series.GetProperty("value")[1])));
        }

        return list;
    }

    /// <summary>Runs a range query and returns data.result (an array of {metric, values}).</summary>
    /// <param name="promql">The query.</param>
    /// <param name="start">The start.</param>
    /// <param name="end">The end.</param>
    /// <param name="step">The resolution.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The result array.</returns>
    public Task<JsonElement> QueryRangeAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default) =>
        PostAsync(
            "api/v1/query_range",
            new Dictionary<string, string>
            {
                ["query"] = promql,
                ["start"] = ToUnix(start),
                ["end"] = ToUnix(end),
                ["step"] = step.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            },
            cancellationToken);

    /// <summary>Queries /api/v1/query_exemplars and returns data (an array of {seriesLabels, exemplars}).</summary>
    /// <param name="promql">A selector, e.g. loadlab_response_time_seconds_bucket.</param>
    /// <param name="start">The start.</param>
    /// <param name="end">The end.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The result array.</returns>
    public Task<JsonElement> QueryExemplarsAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default) =>
        PostAsync(
            "api/v1/query_exemplars",
            new Dictionary<string, string> { ["query"] = promql, ["start"] = ToUnix(start), ["end"] = ToUnix(end) },
            cancellationToken);

    /// <summary>Returns the trace_id label of every exemplar for a selector.</summary>
    /// <param name="promql">A selector.</param>
    /// <param name="start">The start.</param>
    /// <param name="end">The end.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The trace ids.</returns>
    public async Task<IReadOnlySet<string>> QueryExemplarTraceIdsAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        var data = await QueryExemplarsAsync(promql, start, end, cancellationToken).ConfigureAwait(false);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in data.EnumerateArray())
        {
            foreach (var exemplar in series.GetProperty("exemplars").EnumerateArray())
            {
                if (exemplar.GetProperty("labels").TryGetProperty("trace_id", out var id) && id.GetString() is { } s)
                {
                    ids.Add(s);
                }
            }
        }

        return ids;
    }

    /// <summary>Returns the active targets' health by job (from /api/v1/targets).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>job → health ("up", "down", "unknown") and last error.</returns>
    public async Task<IReadOnlyList<(string Job, string Health, string LastError)>> GetTargetsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("api/v1/targets", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return doc.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => (t.GetProperty("labels").GetProperty("job").GetString() ?? "", t.GetProperty("health").GetString() ?? "", t.GetProperty("lastError").GetString() ?? ""))
            .ToList();
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds or <paramref name="timeout"/> passes.</summary>
    /// <param name="condition">The condition (queries against this server).</param>
    /// <param name="timeout">The bound.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when the condition held in time.</returns>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills Prometheus at once (fault tests).</summary>
    public void Kill() => _process.Kill();

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
        TryDelete(_directory);
    }

    /// <summary>Writes the prometheus.yml for the given scrape jobs.</summary>
    /// <param name="targets">The jobs.</param>
    /// <param name="interval">The scrape interval.</param>
    /// <returns>The YAML text.</returns>
    public static string BuildConfig(IEnumerable<ScrapeTarget> targets, TimeSpan interval)
    {
        var seconds = Math.Max(1, (int)interval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var text = new StringBuilder();
        text.Append("global:\n  scrape_interval: ").Append(seconds).Append("\n  scrape_timeout: ").Append(seconds)
            .Append("\n  evaluation_interval: ").Append(seconds).Append('\n');
        var list = targets.ToList();
        text.Append("scrape_configs:").Append(list.Count == 0 ? " []\n" : "\n");
        foreach (var target in list)
        {
            text.Append("  - job_name: '").Append(target.Job).Append("'\n")
                .Append("    metrics_path: '").Append(target.MetricsPath).Append("'\n")
                .Append("    honor_labels: ").Append(target.HonorLabels ? "true" : "false").Append('\n')
                .Append("    static_configs:\n      - targets: ['").Append(target.Target).Append("']\n");
        }

        return text.ToString();
    }

    private static string ToUnix(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static double ParseValue(JsonElement value) =>
        double.Parse(value.GetString() ?? "NaN", NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private async Task<JsonElement> PostAsync(string path, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus {path} '{form.GetValueOrDefault("query")}' failed with {(int)response.StatusCode}: {body}");
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").Clone() is var data && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("result", out var result)
            ? result.Clone()
            : data;
    }
}
