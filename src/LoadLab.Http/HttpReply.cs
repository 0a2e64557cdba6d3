using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LoadLab.Http;

/// <summary>
/// What came back: status, headers, sizes, and the body when it was kept (<see cref="HttpRequestBuilder.WithResponseBody"/>
/// or a check that reads it). The payload of the <see cref="Engine.Scenarios.Response{T}"/> that <see cref="Http.Send"/> returns.
/// </summary>
public sealed class HttpReply
{
    private readonly HttpResponseHeaders _headers;
    private readonly HttpContentHeaders? _contentHeaders;
    private JsonElement? _json;

    internal HttpReply(int statusCode, Version version, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, byte[]? body, bool hasBody, long requestBytes, long responseBytes)
    {
        StatusCode = statusCode;
        Version = version;
        _headers = headers;
        _contentHeaders = contentHeaders;
        Body = body;
        HasBody = hasBody;
        RequestBytes = requestBytes;
        ResponseBytes = responseBytes;
    }

    /// <summary>Gets the status code.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the HTTP version of the answer.</summary>
    public Version Version { get; }

    /// <summary>Gets the response headers (without the content headers; see <see cref="GetHeader"/>).</summary>
    public HttpResponseHeaders Headers => _headers;

    /// <summary>Gets the body; empty unless it was kept.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets a value indicating whether the body was kept.</summary>
    public bool HasBody { get; }

    /// <summary>Gets the bytes sent: request line, headers and body, as HTTP/1.1 writes them.</summary>
    public long RequestBytes { get; }

    /// <summary>Gets the bytes received: status line, headers and body, as HTTP/1.1 writes them.</summary>
    public long ResponseBytes { get; }

    /// <summary>Gets the body as UTF-8 text.</summary>
    /// <exception cref="InvalidOperationException">The body was not kept.</exception>
    public string BodyText => Encoding.UTF8.GetString(RequireBody().Span);

    /// <summary>Gets the first value of a response or content header.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <returns>The value, or null when absent.</returns>
    public string? GetHeader(string name)
    {
        if (_headers.NonValidated.TryGetValues(name, out var values) || (_contentHeaders is not null && _contentHeaders.NonValidated.TryGetValues(name, out values)))
        {
            foreach (var v in values)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>Parses the body as JSON (once; later calls return the same element).</summary>
    /// <returns>The root element.</returns>
    /// <exception cref="InvalidOperationException">The body was not kept.</exception>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public JsonElement Json() => _json ??= JsonSerializer.Deserialize<JsonElement>(RequireBody().Span);

    /// <summary>Deserializes the body.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="options">Serializer options; the web defaults when null.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The body was not kept.</exception>
    /// <exception cref="JsonException">The body does not fit <typeparamref name="T"/>.</exception>
    public T? ReadJson<T>(JsonSerializerOptions? options = null) => JsonSerializer.Deserialize<T>(RequireBody().Span, options ?? JsonSerializerOptions.Web);

    /// <summary>
    /// Finds a JSON value by a dotted path: <c>status</c>, <c>card.last4</c>, <c>items.0.id</c> (numbers index arrays).
    /// </summary>
    /// <param name="path">The path.</param>
    /// <param name="value">The value.</param>
    /// <returns>True when the body is JSON and the path exists.</returns>
    public bool TryGetJson(string path, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(path);
        value = default;
        if (!HasBody)
        {
            return false;
        }

        JsonElement current;
        try
        {
            current = Json();
        }
        catch (JsonException)
        {
            return false;
        }

        foreach (var range in path.AsSpan().Split('.'))
        {
            var segment = path.AsSpan()[range];
            if (current.ValueKind == JsonValueKind.Object)
            {
                if (!current.TryGetProperty(segment, out current))
                {
                    return false;
                }
            }
            else if (current.ValueKind == JsonValueKind.Array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>Gets a JSON value as text (strings unquoted, other values as written), or null when absent.</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>The text.</returns>
    public string? GetJsonText(string path) =>
        TryGetJson(path, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => v.GetRawText(),
        } : null;

    private ReadOnlyMemory<byte> RequireBody() =>
        HasBody ? Body : throw new InvalidOperationException("The response body was not kept; call WithResponseBody() on the request (or add a body check).");
}
