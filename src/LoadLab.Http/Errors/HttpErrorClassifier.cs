using System.Net.Sockets;
using LoadLab.Metrics;

namespace LoadLab.Http.Errors;

/// <summary>Maps a failed exchange to an error kind of the metric contract (DESIGN.md, docs/http.md).</summary>
internal static class HttpErrorClassifier
{
    /// <summary>The kind of a status code: http_4xx, http_5xx, or null for anything below 400.</summary>
    public static string? KindOf(int statusCode) => statusCode switch
    {
        >= 500 => MetricNames.ErrorKinds.Http5xx,
        >= 400 => MetricNames.ErrorKinds.Http4xx,
        _ => null,
    };

    /// <summary>
    /// The kind of a transport failure. The innermost socket error decides when there is one (refused,
    /// reset); then what HttpClient says (the peer ended the response early counts as a reset); timeouts
    /// and cancellations that are not the run's own are timeouts; anything else is exception.
    /// </summary>
    public static string Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                switch (socket.SocketErrorCode)
                {
                    case SocketError.ConnectionRefused:
                    case SocketError.HostUnreachable:
                    case SocketError.NetworkUnreachable:
                    case SocketError.HostNotFound:
                    case SocketError.AddressNotAvailable:
                        return MetricNames.ErrorKinds.ConnectionRefused;
                    case SocketError.ConnectionReset:
                    case SocketError.ConnectionAborted:
                    case SocketError.Shutdown:
                    case SocketError.NotConnected:
                        return MetricNames.ErrorKinds.ConnectionReset;
                    case SocketError.TimedOut:
                        return MetricNames.ErrorKinds.Timeout;
                }
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                case OperationCanceledException:
                    return MetricNames.ErrorKinds.Timeout;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError }:
                    return MetricNames.ErrorKinds.ConnectionRefused;
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse }:
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse }:
                case IOException:
                    return MetricNames.ErrorKinds.ConnectionReset;
            }
        }

        return MetricNames.ErrorKinds.Exception;
    }

    /// <summary>A short, secret-free message for a failure: the kind and the server, never the URL's path or query.</summary>
    public static string Describe(string kind, Uri url) => kind switch
    {
        MetricNames.ErrorKinds.ConnectionRefused => $"connection refused by {url.Authority}",
        MetricNames.ErrorKinds.ConnectionReset => $"connection reset by {url.Authority}",
        MetricNames.ErrorKinds.Timeout => $"no answer from {url.Authority} in time",
        _ => $"request to {url.Authority} failed",
    };
}
