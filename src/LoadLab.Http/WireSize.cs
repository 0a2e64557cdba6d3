namespace LoadLab.Http;

/// <summary>
/// Bytes on the wire as HTTP/1.1 writes them (request or status line, headers, blank line, body).
/// HTTP/2 compresses headers (HPACK), so there the figures are an upper bound; chunk framing is not counted.
/// </summary>
internal static class WireSize
{
    private const int Crlf = 2;

    /// <summary>The request without headers added at send time: request line, Host, the builder's headers, content headers and body.</summary>
    public static long Request(HttpRequestBuilder request)
    {
        var url = request.Url;
        long bytes = request.Method.Method.Length + 1 + url.PathAndQuery.Length + 1 + "HTTP/1.1".Length + Crlf;
        bytes += "Host: ".Length + url.Authority.Length + Crlf;
        foreach (var (name, value) in request.Headers)
        {
            bytes += name.Length + 2 + value.Length + Crlf;
        }

        if (request.ContentType is { } contentType)
        {
            bytes += "Content-Type: ".Length + contentType.Length + Crlf;
            bytes += "Content-Length: ".Length + Digits(request.Body.Length) + Crlf;
        }

        return bytes + Crlf + request.Body.Length;
    }

    /// <summary>The response: status line, headers, blank line, and <paramref name="bodyBytes"/>.</summary>
    public static long Response(HttpResponseMessage response, long bodyBytes)
    {
        long bytes = "HTTP/1.1 200 ".Length + (response.ReasonPhrase?.Length ?? 0) + Crlf;
        bytes += Headers(response.Headers.NonValidated);
        bytes += Headers(response.Content.Headers.NonValidated);
        return bytes + Crlf + bodyBytes;
    }

    private static long Headers(System.Net.Http.Headers.HttpHeadersNonValidated headers)
    {
        long bytes = 0;
        foreach (var (name, values) in headers)
        {
            bytes += name.Length + 2 + Crlf;
            var first = true;
            foreach (var value in values)
            {
                bytes += value.Length + (first ? 0 : 2);
                first = false;
            }
        }

        return bytes;
    }

    private static int Digits(int value) => value < 10 ? 1 : (int)Math.Floor(Math.Log10(value)) + 1;
}
