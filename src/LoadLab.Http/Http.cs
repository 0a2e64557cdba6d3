using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Tracing;
using LoadLab.Http.Errors;
using LoadLab.Http.Tracing;
using LoadLab.Metrics;

namespace LoadLab.Http;

/// <summary>
/// HTTP steps (the role NBomber.Http plays for NBomber): <c>Http.CreateRequest("POST", url).WithJsonBody(..)</c>,
/// then <c>await Step.Run("authorize", ctx, () =&gt; Http.Send(client, request, ctx))</c>.
/// </summary>
public static class Http
{
    private const int BodyBufferSize = 16 * 1024;

    // "200", "404", ... once, so the hot path does not format status codes.
    private static readonly string[] s_statusText = Enumerable.Range(0, 600).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Creates a request.</summary>
    /// <param name="method">The method, e.g. GET or POST.</param>
    /// <param name="url">An absolute http:// or https:// URL.</param>
    /// <returns>The request builder.</returns>
    /// <exception cref="ArgumentException">The method is empty or the URL is not an absolute http(s) URL.</exception>
    public static HttpRequestBuilder CreateRequest(string method, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"'{url}' is not an absolute URL (expected e.g. http://127.0.0.1:5080/v1/items).", nameof(url));
        }

        return CreateRequest(method, uri);
    }

    /// <summary>Creates a request.</summary>
    /// <param name="method">The method, e.g. GET or POST.</param>
    /// <param name="url">An absolute http:// or https:// URL.</param>
    /// <returns>The request builder.</returns>
    /// <exception cref="ArgumentException">The method is empty or the URL is not an absolute http(s) URL.</exception>
    public static HttpRequestBuilder CreateRequest(string method, Uri url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{url}' is not an absolute http:// or https:// URL.", nameof(url));
        }

        return new HttpRequestBuilder(HttpMethod.Parse(method), url);
    }

    /// <summary>
    /// Sends a request and measures what went over the wire. Never throws for a failed exchange: a
    /// closed port is <c>connection_refused</c>, a peer reset <c>connection_reset</c>, no answer in time
    /// <c>timeout</c>, 4xx and 5xx by class (unless a status check accepts them), a failed check
    /// <c>check_failed</c>. Every check is recorded with <see cref="IScenarioContext.Check"/>.
    /// </summary>
    /// <param name="client">The client (see <see cref="HttpClientFactory.Create"/>).</param>
    /// <param name="request">The request.</param>
    /// <param name="context">The iteration's context, for checks and the run's cancellation; may be null.</param>
    /// <param name="cancellationToken">A token; when not given, the context's token is used.</param>
    /// <returns>The response, with the reply as payload when it succeeded.</returns>
    /// <exception cref="OperationCanceledException">The run (not the request) was cancelled.</exception>
    public static async Task<Response<HttpReply>> Send(HttpClient client, HttpRequestBuilder request, IScenarioContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var runToken = cancellationToken.CanBeCanceled ? cancellationToken : context?.CancellationToken ?? CancellationToken.None;

        using var message = request.CreateMessage(client);
        var deferred = IterationTrace.Of(context);
        var activity = HttpTracing.Start(message, deferred, out var traceHeaderBytes, out var deferredSpan);
        var sentBytes = request.WireBytes + traceHeaderBytes;

        var timeout = request.Timeout is { } t && (client.Timeout == Timeout.InfiniteTimeSpan || t < client.Timeout) ? t : client.Timeout;
        CancellationTokenSource? timeoutSource = null;
        var token = runToken;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            // HttpClient.Timeout only covers the exchange up to the headers; this covers the body too.
            timeoutSource = runToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(runToken) : new CancellationTokenSource();
            timeoutSource.CancelAfter(timeout);
            token = timeoutSource.Token;
        }

        HttpReply? reply = null;
        string? failureKind = null;
        try
        {
            using var response = await SendCoreAsync(client, message, token).ConfigureAwait(false);
            var content = response.Content;
            byte[]? body = null;
            long bodyBytes;
            if (request.NeedsResponseBody)
            {
                body = await content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                bodyBytes = body.Length;
            }
            else
            {
                bodyBytes = await DrainAsync(content, token).ConfigureAwait(false);
            }

            var receivedBytes = WireSize.Response(response, bodyBytes);
            reply = new HttpReply((int)response.StatusCode, response.Version, response.Headers, content.Headers, body, body is not null, sentBytes, receivedBytes);
        }
        catch (Exception e) when (!runToken.IsCancellationRequested)
        {
            failureKind = timeoutSource is { IsCancellationRequested: true } ? MetricNames.ErrorKinds.Timeout : HttpErrorClassifier.Classify(e);
        }
        catch
        {
            // The run is stopping: no measurement, the engine discards the iteration.
            activity?.Dispose();
            throw;
        }
        finally
        {
            timeoutSource?.Dispose();
        }

        if (reply is null)
        {
            var kind = failureKind ?? MetricNames.ErrorKinds.Exception;
            if (context is not null)
            {
                // No answer: every check fails (a status check cannot hold without a status).
                foreach (var check in request.Checks)
                {
                    context.Check(check.Name, false);
                }
            }

            if (activity is not null)
            {
                HttpTracing.Stop(activity, 0, null, kind);
            }
            else if (deferredSpan >= 0)
            {
                HttpTracing.Stop(deferred!, deferredSpan, 0, null, kind);
            }

            return Response.Fail<HttpReply>(message: HttpErrorClassifier.Describe(kind, request.Url), errorKind: kind, sentBytes: sentBytes);
        }

        var result = Judge(request, reply, context);
        if (activity is not null)
        {
            HttpTracing.Stop(activity, reply.StatusCode, reply.Version, result.ErrorKind);
        }
        else if (deferredSpan >= 0)
        {
            HttpTracing.Stop(deferred!, deferredSpan, reply.StatusCode, reply.Version, result.ErrorKind);
        }

        return result;
    }

    private static Response<HttpReply> Judge(HttpRequestBuilder request, HttpReply reply, IScenarioContext? context)
    {
        var status = reply.StatusCode;
        var statusText = status is >= 0 and < 600 ? s_statusText[status] : status.ToString(CultureInfo.InvariantCulture);
        string? failedCheck = null;
        var statusCheckFailed = false;
        var checks = request.Checks;
        for (var i = 0; i < checks.Count; i++)
        {
            var check = checks[i];
            var passed = check.Evaluate(reply);
            context?.Check(check.Name, passed);
            if (!passed)
            {
                failedCheck ??= check.Name;
                statusCheckFailed |= check.IsStatusCheck;
            }
        }

        var statusKind = HttpErrorClassifier.KindOf(status);
        if (!request.HasStatusCheck && statusKind is not null)
        {
            return Response.Fail<HttpReply>(statusText, "HTTP " + statusText, reply.ResponseBytes, statusKind, reply.RequestBytes);
        }

        if (failedCheck is not null)
        {
            var kind = statusCheckFailed ? statusKind ?? MetricNames.ErrorKinds.CheckFailed : MetricNames.ErrorKinds.CheckFailed;
            return Response.Fail<HttpReply>(statusText, $"check '{failedCheck}' failed (HTTP {statusText})", reply.ResponseBytes, kind, reply.RequestBytes);
        }

        return Response.Ok(reply, statusText, reply.ResponseBytes, sentBytes: reply.RequestBytes);
    }

    private static Task<HttpResponseMessage> SendCoreAsync(HttpClient client, HttpRequestMessage message, CancellationToken token)
    {
        if (client is not LoadLabHttpClient own)
        {
            return client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
        }

        // What HttpClient.SendAsync would add: its default headers (the handler streams the body either way).
        foreach (var (name, values) in own.DefaultRequestHeaders.NonValidated)
        {
            if (!message.Headers.NonValidated.Contains(name))
            {
                message.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return own.Invoker.SendAsync(message, token);
    }

    private static async ValueTask<long> DrainAsync(HttpContent content, CancellationToken token)
    {
        var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BodyBufferSize);
            try
            {
                long total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(), token).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
