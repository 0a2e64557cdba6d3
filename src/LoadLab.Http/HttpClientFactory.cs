using System.ComponentModel.DataAnnotations;
using System.Net;

namespace LoadLab.Http;

/// <summary>
/// Builds the HTTP client a run shares: a <see cref="SocketsHttpHandler"/> tuned for load generation
/// (connection pool, lifetimes, timeouts, HTTP/1.1 or HTTP/2, no cookies, no proxy, no decompression
/// unless asked, and no built-in diagnostics handler: <see cref="Http.Send"/> writes <c>traceparent</c> itself).
/// </summary>
public static class HttpClientFactory
{
    /// <summary>Creates a client. Share it between virtual users; dispose it when the run ends.</summary>
    /// <param name="options">The options; null for the defaults.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ValidationException">The options are invalid; the message lists every problem.</exception>
    public static HttpClient Create(HttpClientOptions? options = null)
    {
        options ??= new HttpClientOptions();
        var handler = CreateHandler(options);
        return new LoadLabHttpClient(handler)
        {
            Timeout = options.RequestTimeout,
            DefaultRequestVersion = options.HttpVersion,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Creates the tuned handler alone, for callers that add their own handlers on top (e.g. chaos).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The handler.</returns>
    /// <exception cref="ValidationException">The options are invalid.</exception>
    public static SocketsHttpHandler CreateHandler(HttpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ValidationException($"The '{nameof(HttpClientOptions)}' are invalid.{Environment.NewLine}" + string.Join(Environment.NewLine, errors));
        }

        return new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout,
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = options.AutomaticDecompression ? DecompressionMethods.All : DecompressionMethods.None,
            AllowAutoRedirect = options.FollowRedirects,
            EnableMultipleHttp2Connections = true,

            // Cookies would leak between the virtual users that share this client.
            UseCookies = false,

            // Load goes to loopback targets; a system proxy would distort every measurement.
            UseProxy = false,

            // Without a propagator the runtime adds no DiagnosticsHandler (one less layer on the hot path);
            // Http.Send writes traceparent and creates the client span itself.
            ActivityHeadersPropagator = null,
        };
    }
}

/// <summary>
/// A client made by <see cref="HttpClientFactory"/>. <see cref="Http.Send"/> sends through <see cref="Invoker"/>
/// (the same handler and pool) with one timeout of its own, so it skips HttpClient's per-request linked
/// cancellation source and state machine; other callers use it as a plain <see cref="HttpClient"/>.
/// </summary>
internal sealed class LoadLabHttpClient : HttpClient
{
    public LoadLabHttpClient(HttpMessageHandler handler)
        : base(handler, disposeHandler: true)
    {
        Invoker = new HttpMessageInvoker(handler, disposeHandler: false);
    }

    public HttpMessageInvoker Invoker { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Invoker.Dispose();
        }

        base.Dispose(disposing);
    }
}
