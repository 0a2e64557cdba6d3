using System.Globalization;
using System.Net;
using System.Text.Json;

namespace LoadLab.Compare.Prometheus;

/// <summary>One series of an instant query result (a scalar result has no labels).</summary>
/// <param name="Labels">The series labels.</param>
/// <param name="Value">The value (NaN and infinities as Prometheus gives them).</param>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One series of a range vector: its labels and raw samples, oldest first.</summary>
/// <param name="Labels">The series labels, with <c>__name__</c>.</param>
/// <param name="Samples">The samples.</param>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Samples);

/// <summary>Prometheus is unreachable, or rejected a query; the message carries Prometheus's error text.</summary>
public sealed class PrometheusQueryException : CompareInputException
{
    /// <summary>Initializes a new instance of the <see cref="PrometheusQueryException"/> class.</summary>
    public PrometheusQueryException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusQueryException"/> class.</summary>
    /// <param name="message">The message.</param>
    public PrometheusQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusQueryException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PrometheusQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A small client of the Prometheus HTTP API (instant queries, POST /api/v1/query).</summary>
public sealed class PrometheusClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Initializes a new instance of the <see cref="PrometheusClient"/> class.</summary>
    /// <param name="baseAddress">Prometheus, e.g. http://127.0.0.1:9090 (a path prefix is kept).</param>
    /// <param name="timeout">The timeout of each query; 30 seconds by default.</param>
    /// <exception cref="CompareInputException">The address is not an absolute http(s) URL.</exception>
    public PrometheusClient(string baseAddress, TimeSpan? timeout = null)
    {
        BaseAddress = ParseAddress(baseAddress);
        _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _ownsHttp = true;
    }

    /// <summary>Gets the base address (ending with a slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Parses and checks a --prometheus URL.</summary>
    /// <param name="address">The text.</param>
    /// <returns>The URL, ending with a slash.</returns>
    /// <exception cref="CompareInputException">It is not an absolute http(s) URL.</exception>
    public static Uri ParseAddress(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CompareInputException($"--prometheus '{address}' is not a URL; expected e.g. http://127.0.0.1:9090.");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>Runs an instant query.</summary>
    /// <param name="promql">The query.</param>
    /// <param name="time">The evaluation time; Prometheus's now when null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The series (a scalar gives one sample without labels).</returns>
    /// <exception cref="PrometheusQueryException">Prometheus is unreachable or rejected the query.</exception>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promql, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        var (resultType, result) = await PostQueryAsync(promql, time, cancellationToken).ConfigureAwait(false);
        switch (resultType)
        {
            case "scalar":
                return [new PrometheusSample(new Dictionary<string, string>(StringComparer.Ordinal), ParseValue(result[1]))];
            case "vector":
                return result.EnumerateArray().Select(series => new PrometheusSample(Labels(series), ParseValue(series.GetProperty("value")[1]))).ToList();
            default:
                throw new PrometheusQueryException($"The query '{promql}' returned a {resultType}; expected an instant vector or a scalar.");
        }
    }

    /// <summary>Asks Prometheus for its clock (the query <c>time()</c>), so that several queries can be evaluated at one instant.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Prometheus's now, to the millisecond.</returns>
    /// <exception cref="PrometheusQueryException">Prometheus is unreachable or did not answer a scalar.</exception>
    public async Task<DateTimeOffset> GetTimeAsync(CancellationToken cancellationToken = default)
    {
        var now = await QueryAsync("time()", null, cancellationToken).ConfigureAwait(false);
        return now is [{ Labels.Count: 0, Value: var seconds }] && double.IsFinite(seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : throw new PrometheusQueryException($"{BaseAddress}api/v1/query answered time() without a time.");
    }

    /// <summary>
    /// Runs an instant query of a range vector selector (e.g. <c>loadlab_requests_total{release="1.4.2"}[1h]</c>) and
    /// returns every series with its raw samples, oldest first.
    /// </summary>
    /// <param name="promql">A range vector selector.</param>
    /// <param name="time">The evaluation time; Prometheus's now when null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The series.</returns>
    /// <exception cref="PrometheusQueryException">Prometheus is unreachable, rejected the query, or returned no range vector.</exception>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryRangeVectorAsync(string promql, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        var (resultType, result) = await PostQueryAsync(promql, time, cancellationToken).ConfigureAwait(false);
        if (resultType != "matrix")
        {
            throw new PrometheusQueryException($"The query '{promql}' returned a {resultType}; expected a range vector.");
        }

        return result.EnumerateArray().Select(series => new PrometheusSeries(
            Labels(series),
            series.GetProperty("values").EnumerateArray()
                .Select(v => (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(v[0].GetDouble() * 1000)), ParseValue(v[1])))
                .ToList())).ToList();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static Dictionary<string, string> Labels(JsonElement series) =>
        series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);

    private async Task<(string ResultType, JsonElement Result)> PostQueryAsync(string promql, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["query"] = promql };
        if (time is { } t)
        {
            form["time"] = (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        }

        string body;
        HttpStatusCode status;
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await _http.PostAsync(new Uri(BaseAddress, "api/v1/query"), content, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusQueryException($"Prometheus at {BaseAddress} cannot be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusQueryException($"Prometheus at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s.", e);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var snippet = body.Length > 200 ? body[..200] : body;
            throw new PrometheusQueryException($"{BaseAddress}api/v1/query answered HTTP {(int)status} that is not the Prometheus API: {snippet}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.TryGetProperty("status", out var s) && s.GetString() == "error")
            {
                var type = root.TryGetProperty("errorType", out var et) ? et.GetString() : "error";
                var error = root.TryGetProperty("error", out var er) ? er.GetString() : body;
                throw new PrometheusQueryException($"Prometheus rejected the query '{promql}': {type}: {error}");
            }

            if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("result", out var result))
            {
                throw new PrometheusQueryException($"{BaseAddress}api/v1/query answered HTTP {(int)status} without data.result.");
            }

            var resultType = data.TryGetProperty("resultType", out var rt) ? rt.GetString() ?? "vector" : "vector";
            return (resultType, result.Clone());
        }
    }

    private static double ParseValue(JsonElement value) => value.GetString() switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" or null => double.NaN,
        var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
