using System.Net;
using System.Net.Sockets;
using LoadLab.Chaos.Client;
using LoadLab.Chaos.Faults;
using Microsoft.Extensions.Time.Testing;

namespace LoadLab.Chaos.Tests.Client;

public class ChaosHandlerTests
{
    [Fact]
    public async Task SendAsync_SeededStatusFault_InjectsExactlyWhereTheRandomizerSaysSo()
    {
        var fault = new FaultSpec { Name = "items-503", Rate = 0.3, Status = new StatusResponse { Code = 503, Body = "down" } };
        var metrics = new FaultMetrics();
        var (client, terminal) = Create([fault], new FaultPipelineOptions { Randomizer = new Random(42).NextDouble, Metrics = metrics, Target = "client" });
        var replay = new Random(42);
        var expected = Enumerable.Range(0, 400).Count(_ => replay.NextDouble() < 0.3);

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 400; i++)
        {
            using var response = await client.GetAsync(new Uri("http://127.0.0.1/v1/items"));
            codes.Add(response.StatusCode);
        }

        Assert.Equal(expected, codes.Count(c => c == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(400 - expected, terminal.Calls);
        Assert.Equal(expected, metrics.GetInjected("items-503", "client"));
    }

    [Fact]
    public async Task SendAsync_StatusFault_ReturnsBodyWithoutCallingTheTarget()
    {
        var fault = new FaultSpec { Name = "down", Rate = 1, Status = new StatusResponse { Code = 503, Body = "{\"error\":\"unavailable\"}" } };
        var (client, terminal) = Create([fault]);

        using var response = await client.GetAsync(new Uri("http://127.0.0.1/v1/items"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("{\"error\":\"unavailable\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0, terminal.Calls);
    }

    [Fact]
    public async Task SendAsync_MatchOnPathAndMethod_LeavesOtherRequestsAlone()
    {
        var fault = new FaultSpec { Name = "pay", Rate = 1, Match = new FaultMatch { Path = "/v1/payments", Method = "POST" }, Status = new StatusResponse { Code = 500 } };
        var (client, terminal) = Create([fault]);

        using var get = await client.GetAsync(new Uri("http://127.0.0.1/v1/payments"));
        using var post = await client.PostAsync(new Uri("http://127.0.0.1/v1/payments/1"), null);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);
        Assert.Equal(1, terminal.Calls);
    }

    [Fact]
    public async Task SendAsync_Abort_ThrowsConnectionReset()
    {
        var (client, terminal) = Create([new FaultSpec { Name = "reset", Rate = 1, Abort = true }]);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://127.0.0.1/")));

        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(e.InnerException!.InnerException).SocketErrorCode);
        Assert.Equal(0, terminal.Calls);
    }

    [Fact]
    public async Task SendAsync_OutcomeFault_CallsTheTargetAndReplacesTheResponse()
    {
        var (client, terminal) = Create([new FaultSpec { Name = "lost", Rate = 1, Outcome = new StatusResponse { Code = 502, Body = "lost" } }]);

        using var response = await client.PostAsync(new Uri("http://127.0.0.1/v1/payments"), null);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("lost", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, terminal.Calls);
    }

    [Fact]
    public async Task SendAsync_Hang_HoldsUntilTheCallerGivesUp()
    {
        var time = new FakeTimeProvider();
        var (client, terminal) = Create([new FaultSpec { Name = "hang", Rate = 1, Hang = TimeSpan.FromSeconds(30) }], new FaultPipelineOptions { TimeProvider = time });
        using var cts = new CancellationTokenSource();

        var send = client.GetAsync(new Uri("http://127.0.0.1/"), cts.Token);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(send.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal(0, terminal.Calls);
    }

    [Fact]
    public async Task SendAsync_HangElapses_TimesOut()
    {
        var time = new FakeTimeProvider();
        var (client, _) = Create([new FaultSpec { Name = "hang", Rate = 1, Hang = TimeSpan.FromSeconds(30) }], new FaultPipelineOptions { TimeProvider = time });

        var send = client.GetAsync(new Uri("http://127.0.0.1/"));
        time.Advance(TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<TaskCanceledException>(() => send);
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task SendAsync_TimeWindow_InjectsOnlyInsideIt()
    {
        var time = new FakeTimeProvider();
        var fault = new FaultSpec
        {
            Name = "later",
            Rate = 1,
            Status = new StatusResponse { Code = 503 },
            Window = new FaultTimeWindow { After = TimeSpan.FromSeconds(10), For = TimeSpan.FromSeconds(5) },
        };
        var (client, _) = Create([fault], new FaultPipelineOptions { TimeProvider = time });

        var codes = new List<HttpStatusCode>();
        foreach (var at in new[] { 0, 10, 14, 15 })
        {
            time.SetUtcNow(time.Start + TimeSpan.FromSeconds(at));
            using var response = await client.GetAsync(new Uri("http://127.0.0.1/"));
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], codes);
    }

    [Fact]
    public async Task SendAsync_LatencyFault_WaitsTheSampledLatency()
    {
        var time = new FakeTimeProvider();
        var (client, terminal) = Create([new FaultSpec { Name = "slow", Rate = 1, Latency = LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(300)) }], new FaultPipelineOptions { TimeProvider = time });

        var send = client.GetAsync(new Uri("http://127.0.0.1/"));
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(send.IsCompleted);
        Assert.Equal(0, terminal.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));

        using var response = await send;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, terminal.Calls);
    }

    [Fact]
    public void Ctor_InvalidFault_Throws()
    {
        var e = Assert.Throws<FaultSpecException>(() => new ChaosHandler([new FaultSpec { Name = "x", Rate = 3, Abort = true }]));

        Assert.Equal(["faults[0].rate: expected a number between 0 and 1, got 3"], e.Errors);
    }

    private static (HttpClient Client, CountingHandler Terminal) Create(IReadOnlyList<FaultSpec> faults, FaultPipelineOptions? options = null)
    {
        var terminal = new CountingHandler();
        var handler = new ChaosHandler(faults, options) { InnerHandler = terminal };
        return (new HttpClient(handler), terminal);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") });
        }
    }
}
