using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using LoadLab.Chaos.Faults;
using LoadLab.Chaos.Proxy;

namespace LoadLab.Chaos.Tests.Proxy;

public sealed class ChaosProxyTests : IAsyncLifetime
{
    private const string Token = "test-admin-token-0123456789";
    private KestrelTarget _target = null!;

    public async Task InitializeAsync() => _target = await KestrelTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Proxy_NoFaults_ForwardsRequestsUntouched()
    {
        await using var proxy = await StartAsync([]);
        using var client = new HttpClient { BaseAddress = proxy.Url };

        using var items = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
        using var payment = await client.PostAsync(new Uri("v1/payments", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.Equal("[\"a\",\"b\"]", await items.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, payment.StatusCode);
        Assert.Equal(1, _target.Payments);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public async Task Proxy_StatusFault_ObservedShareWithinFourSigmaOfTheRate(double rate)
    {
        const int N = 400;
        var fault = new FaultSpec { Name = "items-503", Rate = rate, Match = new FaultMatch { Path = "/v1/items" }, Status = new StatusResponse { Code = 503, Body = "{\"error\":\"unavailable\"}" } };
        await using var proxy = await StartAsync([fault]);
        using var client = new HttpClient { BaseAddress = proxy.Url };

        var codes = await SendManyAsync(client, N, "v1/items");
        using var health = await client.GetAsync(new Uri("health", UriKind.Relative));

        var injected = codes.Count(c => c == HttpStatusCode.ServiceUnavailable);
        AssertWithinFourSigma(injected, N, rate);
        Assert.Equal(N - injected, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(injected, proxy.Metrics.GetInjected("items-503", proxy.Name));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(N - injected + 1, _target.Requests);
    }

    [Fact]
    public async Task Proxy_SeededRandomizer_InjectsExactlyTheReplayedDraws()
    {
        var fault = new FaultSpec { Name = "reset", Rate = 0.2, Status = new StatusResponse { Code = 500 } };
        await using var proxy = await StartAsync([fault], randomizer: new Random(1).NextDouble);
        using var client = new HttpClient { BaseAddress = proxy.Url };
        var replay = new Random(1);
        var expected = Enumerable.Range(0, 100).Select(_ => replay.NextDouble() < 0.2 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK).ToList();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            using var response = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
            codes.Add(response.StatusCode);
        }

        Assert.Equal(expected, codes);
    }

    [Fact]
    public async Task Proxy_LatencyFault_DelaysTheInjectedShare()
    {
        const int N = 100;
        var fault = new FaultSpec { Name = "items-slow", Rate = 0.3, Latency = LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(150)) };
        await using var proxy = await StartAsync([fault]);
        using var client = new HttpClient { BaseAddress = proxy.Url };

        var elapsed = await TimeManyAsync(client, N);

        var injected = (int)proxy.Metrics.GetInjected("items-slow", proxy.Name);
        AssertWithinFourSigma(injected, N, 0.3);
        // Each delayed request took at least the latency (less the timer granularity); others may be slow too on a busy machine.
        Assert.True(elapsed.Count(e => e >= TimeSpan.FromMilliseconds(140)) >= injected, $"{injected} injected, {elapsed.Count(e => e >= TimeSpan.FromMilliseconds(140))} slow");
        Assert.Equal(N, _target.Requests);
    }

    [Fact]
    public async Task Proxy_AbortFault_ClientSeesConnectionReset()
    {
        await using var proxy = await StartAsync([new FaultSpec { Name = "payments-reset", Rate = 1, Abort = true }]);
        using var client = new HttpClient { BaseAddress = proxy.Url };

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri("v1/payments", UriKind.Relative), new StringContent("{}")));

        Assert.Contains(Causes(e), c => c is SocketException { SocketErrorCode: SocketError.ConnectionReset });
        Assert.Equal(0, _target.Payments);
        Assert.Equal(1, proxy.Metrics.GetInjected("payments-reset", proxy.Name));
    }

    [Fact]
    public async Task Proxy_AbortFault_ObservedShareOfResetsWithinFourSigma()
    {
        const int N = 200;
        await using var proxy = await StartAsync([new FaultSpec { Name = "reset", Rate = 0.25, Abort = true }]);
        using var client = new HttpClient { BaseAddress = proxy.Url };
        // A new connection per request: HttpClient never retries a reset on a reused connection, so each reset is seen.
        client.DefaultRequestHeaders.ConnectionClose = true;

        var resets = 0;
        for (var i = 0; i < N; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            catch (HttpRequestException e) when (Causes(e).Any(c => c is SocketException { SocketErrorCode: SocketError.ConnectionReset }))
            {
                resets++;
            }
        }

        AssertWithinFourSigma(resets, N, 0.25);
        Assert.Equal(resets, proxy.Metrics.GetInjected("reset", proxy.Name));
        Assert.Equal(N - resets, _target.Requests);
    }

    [Fact]
    public async Task Proxy_HangFault_ClientTimesOut()
    {
        await using var proxy = await StartAsync([new FaultSpec { Name = "payments-hang", Rate = 1, Hang = TimeSpan.FromSeconds(30) }]);
        using var client = new HttpClient { BaseAddress = proxy.Url, Timeout = TimeSpan.FromMilliseconds(300) };

        var e = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync(new Uri("v1/items", UriKind.Relative)));

        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Equal(0, _target.Requests);
    }

    [Fact]
    public async Task Proxy_HangBoundedByItsDuration_ThenResets()
    {
        await using var proxy = await StartAsync([new FaultSpec { Name = "short-hang", Rate = 1, Hang = TimeSpan.FromMilliseconds(200) }]);
        using var client = new HttpClient { BaseAddress = proxy.Url, Timeout = TimeSpan.FromSeconds(20) };

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("v1/items", UriKind.Relative)));

        Assert.Contains(Causes(e), c => c is SocketException { SocketErrorCode: SocketError.ConnectionReset });
    }

    [Fact]
    public async Task Proxy_OutcomeFault_TargetDoesTheWorkButTheClientGetsTheReplacement()
    {
        await using var proxy = await StartAsync([new FaultSpec { Name = "payments-lost", Rate = 1, Match = new FaultMatch { Method = "POST" }, Outcome = new StatusResponse { Code = 504, Body = "gateway timeout" } }]);
        using var client = new HttpClient { BaseAddress = proxy.Url };

        using var response = await client.PostAsync(new Uri("v1/payments", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("gateway timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _target.Payments);
    }

    [Fact]
    public async Task AdminApi_WithoutOrWithWrongToken_Returns401()
    {
        await using var proxy = await StartAsync([]);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUrl };

        using var none = await admin.GetAsync(new Uri("faults", UriKind.Relative));
        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "faults") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-at-all") } };
        using var wrongResponse = await admin.SendAsync(wrong);
        using var put = new HttpRequestMessage(HttpMethod.Put, "faults") { Content = new StringContent("faults: [ { name: x, rate: 1, abort: true } ]") };
        using var putResponse = await admin.SendAsync(put);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, putResponse.StatusCode);
        Assert.Empty(proxy.Faults);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(proxy.AdminUrl.Host)));
    }

    [Fact]
    public async Task AdminApi_PutGetDelete_ChangesFaultsWhileRunning()
    {
        await using var proxy = await StartAsync([]);
        using var client = new HttpClient { BaseAddress = proxy.Url };
        using var admin = AdminClient(proxy);

        using var before = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
        using var put = await admin.PutAsync(new Uri("faults", UriKind.Relative), new StringContent("faults:\n  - { name: items-503, rate: 1, status: { code: 503, body: down } }\n"));
        using var during = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
        var listed = await admin.GetStringAsync(new Uri("faults", UriKind.Relative));
        var metricsDuring = await admin.GetStringAsync(new Uri("metrics", UriKind.Relative));
        using var delete = await admin.DeleteAsync(new Uri("faults", UriKind.Relative));
        using var after = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
        var metricsAfter = await admin.GetStringAsync(new Uri("metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("down", await during.Content.ReadAsStringAsync());
        Assert.Equal("items-503", Assert.Single(FaultFile.Parse(listed, "GET /faults")).Name);
        Assert.Contains($"loadlab_fault_active{{fault=\"items-503\",target=\"{proxy.Name}\"}} 1", metricsDuring, StringComparison.Ordinal);
        Assert.Contains($"loadlab_faults_injected_total{{fault=\"items-503\",target=\"{proxy.Name}\"}} 1", metricsDuring, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains($"loadlab_fault_active{{fault=\"items-503\",target=\"{proxy.Name}\"}} 0", metricsAfter, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, metricsAfter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminApi_PutJson_AppliesTheFaults()
    {
        await using var proxy = await StartAsync([]);
        using var admin = AdminClient(proxy);

        using var put = await admin.PutAsync(new Uri("faults", UriKind.Relative), new StringContent("""{"faults":[{"name":"j","rate":0.5,"abort":true}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(FaultKind.Abort, Assert.Single(proxy.Faults).Kind);
    }

    [Fact]
    public async Task AdminApi_PutInvalid_Returns400WithLineAndColumnAndKeepsTheFaults()
    {
        await using var proxy = await StartAsync([new FaultSpec { Name = "keep", Rate = 0.1, Abort = true }]);
        using var admin = AdminClient(proxy);

        using var put = await admin.PutAsync(new Uri("faults", UriKind.Relative), new StringContent("faults:\n  - { name: x, rate: 1.5, teleport: true }\n"));
        var body = await put.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("request body:2:22: faults[0].rate: expected a number between 0 and 1, got 1.5", body, StringComparison.Ordinal);
        Assert.Contains("unknown fault kind or field 'teleport'", body, StringComparison.Ordinal);
        Assert.Equal("keep", Assert.Single(proxy.Faults).Name);
    }

    [Fact]
    public async Task Dispose_WhileRequestsHang_ReleasesThemAndStops()
    {
        var proxy = await StartAsync([new FaultSpec { Name = "hang", Rate = 1, Hang = TimeSpan.FromMinutes(5) }]);
        using var client = new HttpClient { BaseAddress = proxy.Url, Timeout = TimeSpan.FromSeconds(30) };
        var pending = client.GetAsync(new Uri("v1/items", UriKind.Relative));
        while (proxy.Metrics.GetInjected("hang", proxy.Name) == 0 && !pending.IsCompleted)
        {
            await Task.Delay(10);
        }

        Assert.False(pending.IsCompleted);
        var stopwatch = Stopwatch.StartNew();
        await proxy.DisposeAsync();

        var disposed = stopwatch.Elapsed;
        var e = await Assert.ThrowsAnyAsync<Exception>(() => pending);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {disposed}, the request ended after {stopwatch.Elapsed}: {e}");
        Assert.False(proxy.Metrics.IsActive("hang", proxy.Name));
    }

    [Theory]
    [InlineData("not a url", "127.0.0.1:0", false, "--target: expected an absolute http:// or https:// URL such as http://127.0.0.1:5081, got 'not a url'")]
    [InlineData("ftp://127.0.0.1/", "127.0.0.1:0", false, "--target: expected an absolute http:// or https:// URL")]
    [InlineData("http://127.0.0.1:5081", "0.0.0.0:8081", false, "--listen: expected a loopback address (127.0.0.1, ::1 or localhost), got '0.0.0.0:8081'; add --allow-remote to listen on other interfaces")]
    [InlineData("http://127.0.0.1:5081", "8081", false, "--listen: expected host:port such as 127.0.0.1:8081, got '8081'")]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1:99999", false, "--listen: expected host:port")]
    public async Task StartAsync_BadOptions_ThrowsWithTheFlagAndWhatWasExpected(string target, string listen, bool allowRemote, string expected)
    {
        var options = new ChaosProxyOptions { Target = target, Listen = listen, AllowRemote = allowRemote };

        var e = await Assert.ThrowsAsync<ChaosProxyException>(() => ChaosProxy.StartAsync(options, CancellationToken.None));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoToken_GeneratesOne()
    {
        await using var proxy = await ChaosProxy.StartAsync(new ChaosProxyOptions { Target = _target.Url.ToString() }, CancellationToken.None);
        using var admin = new HttpClient { BaseAddress = proxy.AdminUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", proxy.AdminToken);

        using var response = await admin.GetAsync(new Uri("faults", UriKind.Relative));

        Assert.True(proxy.AdminToken.Length >= 32);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<ChaosProxy> StartAsync(IReadOnlyList<FaultSpec> faults, Func<double>? randomizer = null) =>
        ChaosProxy.StartAsync(
            new ChaosProxyOptions
            {
                Target = _target.Url.ToString(),
                Listen = "127.0.0.1:0",
                AdminToken = Token,
                Faults = faults,
                Randomizer = randomizer ?? Random.Shared.NextDouble,
            },
            CancellationToken.None);

    private static HttpClient AdminClient(ChaosProxy proxy)
    {
        var admin = new HttpClient { BaseAddress = proxy.AdminUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return admin;
    }

    private static async Task<List<HttpStatusCode>> SendManyAsync(HttpClient client, int count, string path)
    {
        var codes = new List<HttpStatusCode>();
        var gate = new SemaphoreSlim(8);
        var tasks = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                lock (codes)
                {
                    codes.Add(response.StatusCode);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return codes;
    }

    private static async Task<List<TimeSpan>> TimeManyAsync(HttpClient client, int count)
    {
        var elapsed = new List<TimeSpan>();
        var gate = new SemaphoreSlim(20);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri("v1/items", UriKind.Relative));
                response.EnsureSuccessStatusCode();
                lock (elapsed)
                {
                    elapsed.Add(Stopwatch.GetElapsedTime(start));
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return elapsed;
    }

    private static void AssertWithinFourSigma(int observed, int n, double rate)
    {
        var sigma = Math.Sqrt(n * rate * (1 - rate));
        Assert.InRange(observed, n * rate - 4 * sigma, n * rate + 4 * sigma);
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
