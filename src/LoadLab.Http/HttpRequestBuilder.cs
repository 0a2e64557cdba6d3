using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LoadLab.Http;

/// <summary>
/// An HTTP request to send with <see cref="Http.Send"/> (NBomber.Http's <c>Http.CreateRequest</c>):
/// method, URL, headers, body, timeout and checks. A builder may be created once and sent many
/// times (each send builds a fresh <see cref="HttpRequestMessage"/>); do not change it while sends are in flight.
/// </summary>
public sealed class HttpRequestBuilder
{
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private readonly List<HttpCheck> _checks = [];
    private long _wireBytes = -1;

    internal HttpRequestBuilder(HttpMethod method, Uri url)
    {
        Method = method;
        Url = url;
    }

    /// <summary>Gets the method.</summary>
    public HttpMethod Method { get; }

    /// <summary>Gets the absolute URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets the headers, in the order they were added (Content-Type is kept with the body).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>Gets the body, if any.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>Gets the body's content type, if there is a body.</summary>
    public string? ContentType { get; private set; }

    /// <summary>Gets the request's own timeout; null uses the client's. It can only shorten the client's timeout.</summary>
    public TimeSpan? Timeout { get; private set; }

    /// <summary>Gets the HTTP version; null uses the client's default.</summary>
    public Version? Version { get; private set; }

    /// <summary>Gets the checks run on the response.</summary>
    public IReadOnlyList<HttpCheck> Checks => _checks;

    /// <summary>Gets a value indicating whether the response body is kept for the caller (<see cref="HttpReply.Body"/>).</summary>
    public bool KeepsResponseBody { get; private set; }

    internal bool HasStatusCheck { get; private set; }

    internal bool NeedsResponseBody { get; private set; }

    internal byte[]? BodyArray { get; private set; }

    /// <summary>Gets the wire size of the request without the trace headers (computed once; the With methods reset it).</summary>
    internal long WireBytes => _wireBytes >= 0 ? _wireBytes : _wireBytes = WireSize.Request(this);

    /// <summary>Adds a header (repeat the call for several values).</summary>
    /// <param name="name">The header name, e.g. Idempotency-Key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or not a valid header name.</exception>
    public HttpRequestBuilder WithHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!IsToken(name))
        {
            throw new ArgumentException($"'{name}' is not a valid HTTP header name.", nameof(name));
        }

        if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            ContentType = value;
            _wireBytes = -1;
            return this;
        }

        _headers.Add(new KeyValuePair<string, string>(name, value));
        _wireBytes = -1;
        return this;
    }

    /// <summary>Adds several headers.</summary>
    /// <param name="headers">Names and values.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, value) in headers)
        {
            WithHeader(name, value);
        }

        return this;
    }

    /// <summary>Sets a text body (UTF-8).</summary>
    /// <param name="body">The body.</param>
    /// <param name="contentType">The content type.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithBody(string body, string contentType = HttpConstants.TextContentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WithBody(Encoding.UTF8.GetBytes(body), contentType);
    }

    /// <summary>Sets a binary body.</summary>
    /// <param name="body">The body (not copied: do not change it afterwards).</param>
    /// <param name="contentType">The content type.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithBody(byte[] body, string contentType = HttpConstants.BinaryContentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        BodyArray = body;
        Body = body;
        ContentType = contentType;
        _wireBytes = -1;
        return this;
    }

    /// <summary>Sets a JSON body serialized with <paramref name="options"/> (the web defaults when null: camelCase names).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Serializer options.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithJsonBody<T>(T value, JsonSerializerOptions? options = null) =>
        WithBody(JsonSerializer.SerializeToUtf8Bytes(value, options ?? JsonSerializerOptions.Web), HttpConstants.JsonContentType);

    /// <summary>Sets a JSON body serialized with source-generated metadata (no reflection).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The type's metadata.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithJsonBody<T>(T value, JsonTypeInfo<T> typeInfo) =>
        WithBody(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), HttpConstants.JsonContentType);

    /// <summary>Sets the request's timeout (it can only shorten the client's).</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive.</exception>
    public HttpRequestBuilder WithTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        return this;
    }

    /// <summary>Sets the HTTP version (1.1 or 2.0); the version is required exactly, not negotiated down.</summary>
    /// <param name="version">The version.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithVersion(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        Version = version;
        return this;
    }

    /// <summary>
    /// Adds a check. Each check is recorded with <c>ctx.Check(name, passed)</c>; a failed check fails the
    /// response with <c>check_failed</c>. A status check replaces the default rule (4xx and 5xx fail).
    /// </summary>
    /// <param name="check">The check.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithCheck(HttpCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        _checks.Add(check);
        HasStatusCheck |= check.IsStatusCheck;
        NeedsResponseBody |= check.NeedsBody;
        return this;
    }

    /// <summary>Accepts exactly these status codes (a status check named e.g. "status is 201").</summary>
    /// <param name="statusCodes">The codes.</param>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder ExpectStatus(params int[] statusCodes) => WithCheck(HttpCheck.Status(statusCodes));

    /// <summary>Keeps the response body for the caller (<see cref="HttpReply.Body"/>, <see cref="HttpReply.Json"/>). Off by default: bodies are only counted.</summary>
    /// <returns>This builder.</returns>
    public HttpRequestBuilder WithResponseBody()
    {
        KeepsResponseBody = true;
        NeedsResponseBody = true;
        return this;
    }

    internal HttpRequestMessage CreateMessage(HttpClient client)
    {
        var message = new HttpRequestMessage(Method, Url)
        {
            Version = Version ?? client.DefaultRequestVersion,
            VersionPolicy = Version is null ? client.DefaultVersionPolicy : HttpVersionPolicy.RequestVersionExact,
        };
        var headers = message.Headers;
        foreach (var (name, value) in _headers)
        {
            headers.TryAddWithoutValidation(name, value);
        }

        if (BodyArray is { } body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            content.Headers.ContentLength = body.Length;
            message.Content = content;
        }
        else if (ContentType is not null)
        {
            // A Content-Type header without a body still goes out, on an empty content.
            var content = new ByteArrayContent([]);
            content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            message.Content = content;
        }

        return message;
    }

    private static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            // RFC 9110 token characters.
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
