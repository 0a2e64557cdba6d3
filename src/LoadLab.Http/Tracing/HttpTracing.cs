using System.Diagnostics;
using System.Globalization;
using System.Text;
using LoadLab.Engine.Tracing;
using LoadLab.Telemetry;

namespace LoadLab.Http.Tracing;

/// <summary>
/// W3C trace context for every request. With a current activity (the step or iteration span), a client
/// span from <see cref="TraceConventions.HttpActivitySourceName"/> is started when anyone listens, with
/// the OTel HTTP semantic conventions, and its context goes out as <c>traceparent</c>; when nobody
/// listens the current activity's context goes out. Without a current activity a fresh, unsampled
/// <c>traceparent</c> still goes out, so targets can correlate their logs.
/// </summary>
internal static class HttpTracing
{
    public const string MethodTag = "http.request.method";
    public const string UrlTag = "url.full";
    public const string ServerAddressTag = "server.address";
    public const string ServerPortTag = "server.port";
    public const string StatusCodeTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";
    public const string ProtocolVersionTag = "network.protocol.version";

    // "traceparent: " + 55 characters + CRLF.
    private const int TraceParentLineBytes = 11 + 2 + 55 + 2;

    internal static readonly ActivitySource Source = new(TraceConventions.HttpActivitySourceName);

    private static readonly DeferredSpanEnricher s_enrichDeferred = EnrichDeferred;

    private static readonly string[] s_sensitiveQueryKeys =
        ["token", "secret", "password", "passwd", "pwd", "key", "signature", "sig", "auth", "credential", "session", "code", "card", "pan", "cvv", "cvc"];

    /// <summary>Starts the client span (if any) and adds <c>traceparent</c> (and <c>tracestate</c>) to the message.</summary>
    /// <param name="message">The request message.</param>
    /// <param name="deferred">The iteration's deferred trace (an unsampled iteration), or null.</param>
    /// <param name="headerBytes">The bytes the added headers take on the wire (HTTP/1.1).</param>
    /// <param name="deferredSpan">The index of the span kept in <paramref name="deferred"/>, or -1.</param>
    public static Activity? Start(HttpRequestMessage message, IterationTrace? deferred, out int headerBytes, out int deferredSpan)
    {
        var parent = Activity.Current;
        Activity? activity = null;
        deferredSpan = -1;
        if (deferred is not null && parent == deferred.Root)
        {
            // Unsampled: the span is kept as data and becomes an activity only if the iteration fails or is slow.
            deferredSpan = deferred.Start(Source, message.Method.Method, ActivityKind.Client, s_enrichDeferred, message);
        }
        else if (parent is not null && Source.HasListeners())
        {
            activity = Source.StartActivity(message.Method.Method, ActivityKind.Client);
        }

        var headers = message.Headers;
        // A deferred span goes out as its parent, the root: the target records nothing of an unsampled trace.
        var context = activity ?? parent;
        if (context is { IdFormat: ActivityIdFormat.W3C })
        {
            headers.TryAddWithoutValidation(HttpConstants.TraceParentHeader, Format(context.TraceId, context.SpanId, context.Recorded));
            headerBytes = TraceParentLineBytes;
            if (context.TraceStateString is { Length: > 0 } state)
            {
                headers.TryAddWithoutValidation(HttpConstants.TraceStateHeader, state);
                headerBytes += HttpConstants.TraceStateHeader.Length + 4 + state.Length;
            }
        }
        else
        {
            headers.TryAddWithoutValidation(HttpConstants.TraceParentHeader, FormatRandom());
            headerBytes = TraceParentLineBytes;
        }

        if (activity is { IsAllDataRequested: true })
        {
            SetRequestTags(activity, message);
        }

        return activity;
    }

    /// <summary>Ends the span with the status code (if any) and the error type (if failed).</summary>
    public static void Stop(Activity activity, int statusCode, Version? version, string? errorType)
    {
        if (activity.IsAllDataRequested)
        {
            SetResponseTags(activity, statusCode, version, errorType);
        }

        if (errorType is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorType);
        }

        activity.Dispose();
    }

    /// <summary>Ends a span kept as data (see <see cref="Start"/>).</summary>
    public static void Stop(IterationTrace deferred, int deferredSpan, int statusCode, Version? version, string? errorType) =>
        deferred.End(deferredSpan, statusCode, version, errorType);

    private static void SetRequestTags(Activity activity, HttpRequestMessage message)
    {
        var url = message.RequestUri!;
        activity.SetTag(MethodTag, message.Method.Method);
        activity.SetTag(UrlTag, RedactUrl(url));
        activity.SetTag(ServerAddressTag, url.Host);
        activity.SetTag(ServerPortTag, url.Port);
    }

    private static void SetResponseTags(Activity activity, int statusCode, Version? version, string? errorType)
    {
        if (statusCode > 0)
        {
            activity.SetTag(StatusCodeTag, statusCode);
        }

        if (version is not null)
        {
            activity.SetTag(ProtocolVersionTag, version.Major == 1 ? "1.1" : version.Major.ToString(CultureInfo.InvariantCulture));
        }

        if (errorType is not null)
        {
            // OTel: error.type is the status code for HTTP errors, else a low-cardinality failure name.
            activity.SetTag(ErrorTypeTag, statusCode >= 400 ? statusCode.ToString(CultureInfo.InvariantCulture) : errorType);
        }
    }

    /// <summary>The same attributes as a live client span, for one that was kept as data.</summary>
    private static void EnrichDeferred(Activity activity, in DeferredSpan span)
    {
        if (span.State is HttpRequestMessage message)
        {
            SetRequestTags(activity, message);
        }

        SetResponseTags(activity, span.StatusCode, span.Detail as Version, span.ErrorKind);
    }

    /// <summary>The W3C traceparent header: 00-{trace id}-{span id}-{flags}.</summary>
    internal static string Format(ActivityTraceId traceId, ActivitySpanId spanId, bool sampled)
    {
        Span<byte> ids = stackalloc byte[24];
        traceId.CopyTo(ids[..16]);
        spanId.CopyTo(ids[16..]);
        return Format(ids, sampled);
    }

    /// <summary>A fresh, unsampled traceparent with random ids.</summary>
    internal static string FormatRandom()
    {
        Span<byte> ids = stackalloc byte[24];
        Random.Shared.NextBytes(ids);

        // All-zero ids are invalid in W3C trace context.
        ids[15] |= 1;
        ids[23] |= 1;
        return Format(ids, sampled: false);
    }

    /// <summary>The full URL without user info and with the values of secret-looking query parameters replaced by REDACTED.</summary>
    internal static string RedactUrl(Uri url)
    {
        var query = url.Query;
        var head = url.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
        if (query.Length <= 1)
        {
            return head;
        }

        var sb = new StringBuilder(head.Length + query.Length).Append(head).Append('?');
        var first = true;
        foreach (var part in query[1..].Split('&'))
        {
            if (!first)
            {
                sb.Append('&');
            }

            first = false;
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                sb.Append(part);
                continue;
            }

            var key = part[..eq];
            var decoded = Uri.UnescapeDataString(key);
            sb.Append(key).Append('=').Append(IsSensitive(decoded) ? "REDACTED" : part[(eq + 1)..]);
        }

        return sb.ToString();
    }

    private static bool IsSensitive(string key)
    {
        foreach (var s in s_sensitiveQueryKeys)
        {
            if (key.Contains(s, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Format(ReadOnlySpan<byte> ids, bool sampled)
    {
        Span<char> span = stackalloc char[55];
        "00-".CopyTo(span);
        Convert.TryToHexStringLower(ids[..16], span[3..35], out _);
        span[35] = '-';
        Convert.TryToHexStringLower(ids[16..], span[36..52], out _);
        span[52] = '-';
        span[53] = '0';
        span[54] = sampled ? '1' : '0';
        return new string(span);
    }
}
