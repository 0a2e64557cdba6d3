using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LoadLab.Chaos.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Yarp.ReverseProxy.Forwarder;

namespace LoadLab.Chaos.Proxy;

/// <summary>
/// A reverse proxy (YARP) in front of an HTTP service that injects faults per route, with an admin API
/// (<c>GET/PUT/DELETE /faults</c>, bearer token) and <c>/metrics</c> on a loopback admin listener.
/// </summary>
public sealed class ChaosProxy : IAsyncDisposable
{
    private const string SocketItemKey = "loadlab.chaos.socket";
    private const int MaxAdminBodyBytes = 1 << 20;

    private readonly ChaosProxyOptions _options;
    private readonly Uri _target;
    private readonly byte[] _token;
    private readonly HttpMessageInvoker _invoker;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _faultsLock = new();
    private WebApplication? _proxyApp;
    private WebApplication? _adminApp;
    private ProxyFaultState _state;

    private ChaosProxy(ChaosProxyOptions options, Uri target, string token)
    {
        _options = options;
        _target = target;
        AdminToken = token;
        _token = Encoding.UTF8.GetBytes(token);
        Name = options.Name ?? $"{target.Host}:{target.Port}";
        Metrics = options.Metrics ?? new FaultMetrics();
        _state = ProxyFaultState.Empty(options.TimeProvider);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }

    /// <summary>Gets the proxy's name (the <c>target</c> label of its fault metrics).</summary>
    public string Name { get; }

    /// <summary>Gets the URL clients send their requests to.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Gets the URL of the admin API (<c>/faults</c>) and <c>/metrics</c>.</summary>
    public Uri AdminUrl { get; private set; } = null!;

    /// <summary>Gets the admin API's bearer token. Print it once; never log it.</summary>
    public string AdminToken { get; }

    /// <summary>Gets the fault metrics.</summary>
    public FaultMetrics Metrics { get; }

    /// <summary>Gets the faults applied now.</summary>
    public IReadOnlyList<FaultSpec> Faults => Volatile.Read(ref _state).Set.Faults;

    /// <summary>Starts a proxy on its listeners.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running proxy; dispose it to stop.</returns>
    /// <exception cref="ChaosProxyException">The options are invalid; every error is listed.</exception>
    public static async Task<ChaosProxy> StartAsync(ChaosProxyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate(out var target, out var listen, out var admin);
        if (errors.Count > 0)
        {
            throw new ChaosProxyException("The chaos proxy options are invalid." + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }

        var token = options.AdminToken ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var proxy = new ChaosProxy(options, target!, token);
        try
        {
            proxy.SetFaults(options.Faults);
            await proxy.StartListenersAsync(listen!, admin!, cancellationToken).ConfigureAwait(false);
            return proxy;
        }
        catch (IOException e)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw new ChaosProxyException($"The chaos proxy could not listen: {e.Message}", e);
        }
        catch
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Replaces the faults; their time windows start now.</summary>
    /// <param name="faults">The faults.</param>
    /// <exception cref="FaultSpecException">A fault is invalid; nothing changes.</exception>
    public void SetFaults(IReadOnlyList<FaultSpec> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var set = new ActiveFaultSet([.. faults], _options.TimeProvider);
        var pipelineOptions = new FaultPipelineOptions
        {
            Target = Name,
            Randomizer = _options.Randomizer,
            TimeProvider = _options.TimeProvider,
            Metrics = Metrics,
        };
        var pipeline = new ResiliencePipelineBuilder<ProxyOutcome>()
            .AddFaults(
                set,
                pipelineOptions,
                status => new ProxyOutcome(status),
                fault => new ConnectionResetException(fault.Name),
                fault => new ConnectionResetException(fault.Name))
            .Build();
        lock (_faultsLock)
        {
            Volatile.Write(ref _state, new ProxyFaultState(set, pipeline));
            UpdateActiveMetric();
        }
    }

    /// <summary>Removes every fault: the proxy forwards everything untouched.</summary>
    public void ClearFaults() => SetFaults([]);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Release held (hanging) requests first, so the listeners can stop at once.
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var app in new[] { _proxyApp, _adminApp })
        {
            if (app is not null)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await app.StopAsync(timeout.Token).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        lock (_faultsLock)
        {
            Volatile.Write(ref _state, ProxyFaultState.Empty(_options.TimeProvider));
            UpdateActiveMetric();
        }

        _invoker.Dispose();
        _stopping.Dispose();
    }

    private void UpdateActiveMetric()
    {
        var state = Volatile.Read(ref _state);
        Metrics.SetAllActive(Name, state.Set.Faults.Select(f => (f.Name, state.Set.IsActive(f))));
    }

    private async Task StartListenersAsync(IPEndPoint listen, IPEndPoint admin, CancellationToken cancellationToken)
    {
        var proxyBuilder = WebApplication.CreateSlimBuilder();
        proxyBuilder.Logging.ClearProviders();
        proxyBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen, listenOptions => listenOptions.Use(next => connection =>
            {
                // Keep the socket so an abort fault can reset the connection (RST) instead of closing it.
                if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
                {
                    connection.Items[SocketItemKey] = socket;
                }

                return next(connection);
            }));
        });
        proxyBuilder.Services.AddHttpForwarder();
        _proxyApp = proxyBuilder.Build();
        var forwarder = _proxyApp.Services.GetRequiredService<IHttpForwarder>();
        _proxyApp.Run(context => HandleAsync(context, forwarder));
        await _proxyApp.StartAsync(cancellationToken).ConfigureAwait(false);
        Url = new Uri(ServerAddress(_proxyApp));

        var adminBuilder = WebApplication.CreateSlimBuilder();
        adminBuilder.Logging.ClearProviders();
        adminBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(admin);
        });
        _adminApp = adminBuilder.Build();
        _adminApp.Run(HandleAdminAsync);
        await _adminApp.StartAsync(cancellationToken).ConfigureAwait(false);
        AdminUrl = new Uri(ServerAddress(_adminApp));
    }

    private static string ServerAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/') + "/";

    private async Task HandleAsync(HttpContext context, IHttpForwarder forwarder)
    {
        var state = Volatile.Read(ref _state);
        if (state.Set.Faults.Count == 0)
        {
            await ForwardAsync(context, forwarder).ConfigureAwait(false);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var resilienceContext = ResilienceContextPool.Shared.Get(linked.Token);
        try
        {
            resilienceContext.Properties.Set(FaultContextKeys.Path, context.Request.Path.Value ?? "/");
            resilienceContext.Properties.Set(FaultContextKeys.Method, context.Request.Method);
            var outcome = await state.Pipeline.ExecuteAsync(
                static async (ctx, s) =>
                {
                    if (ctx.Properties.TryGetValue(FaultContextKeys.ReplaceOutcome, out var replacement))
                    {
                        await s.Proxy.ForwardDiscardingResponseAsync(s.Context, s.Forwarder).ConfigureAwait(false);
                        return new ProxyOutcome(replacement);
                    }

                    await s.Proxy.ForwardAsync(s.Context, s.Forwarder).ConfigureAwait(false);
                    return ProxyOutcome.Forwarded;
                },
                resilienceContext,
                (Proxy: this, Context: context, Forwarder: forwarder)).ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                await WriteResponseAsync(context, response).ConfigureAwait(false);
            }
        }
        catch (ConnectionResetException)
        {
            Reset(context);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client gave up on a held request, or the proxy is stopping: nobody waits for an answer.
            context.Abort();
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilienceContext);
        }
    }

    private async Task ForwardAsync(HttpContext context, IHttpForwarder forwarder) =>
        await forwarder.SendAsync(context, _target.AbsoluteUri.TrimEnd('/'), _invoker, ForwarderRequestConfig.Empty, HttpTransformer.Default).ConfigureAwait(false);

    private async Task ForwardDiscardingResponseAsync(HttpContext context, IHttpForwarder forwarder)
    {
        // The target does the work, but its response goes nowhere: the caller gets the replacement.
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        try
        {
            await ForwardAsync(context, forwarder).ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(original);
        }
    }

    private static async Task WriteResponseAsync(HttpContext context, StatusResponse response)
    {
        context.Response.Clear();
        context.Response.StatusCode = response.Code;
        context.Response.ContentType = response.EffectiveContentType;
        context.Response.Headers["X-LoadLab-Fault"] = "injected";
        await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static void Reset(HttpContext context)
    {
        // Linger 0 makes closing the socket send RST, so the client sees "connection reset by peer".
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(SocketItemKey, out var item) == true && item is Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed: there is nothing left to reset.
            }
        }

        context.Abort();
    }

    private async Task HandleAdminAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path == "/metrics" && HttpMethods.IsGet(context.Request.Method))
        {
            lock (_faultsLock)
            {
                UpdateActiveMetric();
            }

            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await context.Response.WriteAsync(Metrics.ToPrometheusText(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!IsAuthorized(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsync("missing or wrong admin token (Authorization: Bearer <token>)\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (path != "/faults")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("not found: the admin API has GET/PUT/DELETE /faults and GET /metrics\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        switch (context.Request.Method)
        {
            case "GET":
                await WriteFaultsAsync(context).ConfigureAwait(false);
                break;
            case "PUT":
                var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
                if (body is null)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }

                try
                {
                    SetFaults(FaultFile.Parse(body, "request body"));
                }
                catch (FaultSpecException e)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync(e.Message + "\n", context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                await WriteFaultsAsync(context).ConfigureAwait(false);
                break;
            case "DELETE":
                ClearFaults();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, PUT, DELETE";
                break;
        }
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _token);
    }

    private Task WriteFaultsAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(FaultFile.ToJson(Faults), context.RequestAborted);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxAdminBodyBytes)
        {
            return null;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxAdminBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > MaxAdminBodyBytes ? null : new string(buffer, 0, total);
    }

    private sealed record ProxyFaultState(ActiveFaultSet Set, ResiliencePipeline<ProxyOutcome> Pipeline)
    {
        public static ProxyFaultState Empty(TimeProvider timeProvider) => new(new ActiveFaultSet([], timeProvider), ResiliencePipeline<ProxyOutcome>.Empty);
    }

    private sealed class ConnectionResetException(string fault) : Exception($"Fault '{fault}' resets the connection.");
}

/// <summary>What the fault pipeline of the proxy decided: forwarded, or a response to write instead.</summary>
internal sealed record ProxyOutcome(StatusResponse? Response)
{
    public static readonly ProxyOutcome Forwarded = new((StatusResponse?)null);
}
