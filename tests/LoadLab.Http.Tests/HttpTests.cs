using System.Net;
using System.Text;
using LoadLab.Http.Tests.Support;
using LoadLab.Metrics;

namespace LoadLab.Http.Tests;

public sealed class HttpTests : IAsyncLifetime
{
    private KestrelServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KestrelServer.StartAsync();
        _client = HttpClientFactory.Create(new HttpClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Send_Ok_ReturnsStatusAndSizes()
    {
        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/hello")));

        Assert.False(response.IsError);
        Assert.Equal("200", response.StatusCode);
        Assert.NotNull(response.Payload);
        Assert.Equal(200, response.Payload.StatusCode);
        Assert.Equal(response.Payload.ResponseBytes, response.SizeBytes);
        Assert.Equal(response.Payload.RequestBytes, response.SentBytes);

        // Status line, headers (Content-Type, Content-Length, Date, ...) and the 11-byte body.
        Assert.True(response.SizeBytes > 11 + "HTTP/1.1 200 OK\r\n\r\n".Length, $"size {response.SizeBytes}");
        Assert.False(response.Payload.HasBody);
    }

    [Fact]
    public async Task Send_RawServer_SizesMatchTheBytesOnTheWire()
    {
        const string answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 13\r\nX-Extra: a\r\n\r\n{\"id\":\"p_1\"}\n";
        await using var raw = new RawServer(RawServer.Behaviour.Answer, answer);
        var request = Http.CreateRequest("POST", raw.Url("/v1/payments?x=1"))
            .WithHeader("Idempotency-Key", "k-123")
            .WithHeader("Accept", "application/json")
            .WithJsonBody(new { amount = 12.5, currency = "EUR" });

        var response = await Http.Send(_client, request);

        Assert.False(response.IsError, response.Message);
        Assert.True(raw.Requests.TryDequeue(out var wire));
        Assert.Equal(wire.Length, response.SentBytes);
        Assert.Equal(Encoding.ASCII.GetByteCount(answer), response.SizeBytes);
    }

    [Fact]
    public async Task Send_JsonBodyAndHeader_ServerReceivesThem()
    {
        var request = Http.CreateRequest("POST", _server.At("/echo"))
            .WithHeader("X-Test", "v1")
            .WithJsonBody(new { customer = "Ada", amount = 12.5 })
            .WithResponseBody();

        var response = await Http.Send(_client, request);

        Assert.False(response.IsError, response.Message);
        var reply = response.Payload!;
        Assert.Equal("Ada", reply.GetJsonText("received.customer"));
        Assert.Equal("12.5", reply.GetJsonText("received.amount"));
        Assert.Equal("application/json", reply.GetJsonText("content_type"));
        Assert.Equal("v1", reply.GetHeader("X-Echo"));
        Assert.StartsWith("application/json", reply.GetHeader("content-type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ClientDefaultHeaders_AreSent()
    {
        using var client = HttpClientFactory.Create();
        client.DefaultRequestHeaders.Add("X-Test", "default");
        var request = Http.CreateRequest("POST", _server.At("/echo")).WithJsonBody(new { a = 1 });

        var response = await Http.Send(client, request);

        Assert.Equal("default", response.Payload!.GetHeader("X-Echo"));
    }

    [Fact]
    public async Task Send_PlainHttpClient_WorksToo()
    {
        using var client = new HttpClient();
        await using var raw = new RawServer(RawServer.Behaviour.Reset);

        var ok = await Http.Send(client, Http.CreateRequest("GET", _server.At("/json")).WithCheck(HttpCheck.JsonField("status", "approved")));
        var reset = await Http.Send(client, Http.CreateRequest("GET", raw.Url()));

        Assert.False(ok.IsError, ok.Message);
        Assert.Equal(MetricNames.ErrorKinds.ConnectionReset, reset.ErrorKind);
    }

    [Fact]
    public async Task Send_TextBody_SentWithContentType()
    {
        await using var raw = new RawServer(RawServer.Behaviour.Answer, "HTTP/1.1 204 No Content\r\n\r\n");
        var response = await Http.Send(_client, Http.CreateRequest("PUT", raw.Url("/x")).WithBody("héllo", "text/plain"));

        Assert.False(response.IsError, response.Message);
        Assert.Equal("204", response.StatusCode);
        Assert.True(raw.Requests.TryDequeue(out var wire));
        var text = Encoding.UTF8.GetString(wire);
        Assert.Contains("Content-Type: text/plain\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nhéllo", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404, "http_4xx")]
    [InlineData(429, "http_4xx")]
    [InlineData(500, "http_5xx")]
    [InlineData(503, "http_5xx")]
    public async Task Send_ErrorStatus_FailsByClass(int status, string kind)
    {
        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At($"/status/{status}")));

        Assert.True(response.IsError);
        Assert.Equal(kind, response.ErrorKind);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), response.StatusCode);
    }

    [Fact]
    public async Task Send_StatusCheckAccepts404_Succeeds()
    {
        var ctx = new TestContext();
        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/status/404")).ExpectStatus(404), ctx);

        Assert.False(response.IsError);
        Assert.Equal([("status is 404", true)], ctx.Checks);
    }

    [Fact]
    public async Task Send_StatusCheckFailsOn200_FailsWithCheckFailed()
    {
        var ctx = new TestContext();
        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/hello")).ExpectStatus(201, 202), ctx);

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.CheckFailed, response.ErrorKind);
        Assert.Equal([("status in (201, 202)", false)], ctx.Checks);
    }

    [Fact]
    public async Task Send_StatusCheckFailsOn503_FailsWithHttp5xx()
    {
        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/status/503")).ExpectStatus(200));

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.Http5xx, response.ErrorKind);
    }

    [Fact]
    public async Task Send_ClosedPort_FailsWithConnectionRefused()
    {
        var ctx = new TestContext();
        var port = RawServers.ClosedPort();
        var request = Http.CreateRequest("GET", $"http://127.0.0.1:{port}/v1/items?token=secret").ExpectStatus(200);

        var response = await Http.Send(_client, request, ctx);

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.ConnectionRefused, response.ErrorKind);
        Assert.Equal($"connection refused by 127.0.0.1:{port}", response.Message);
        Assert.Null(response.Payload);
        Assert.True(response.SentBytes > 0);

        // No answer: the status check is recorded as failed.
        Assert.Equal([("status is 200", false)], ctx.Checks);
    }

    [Fact]
    public async Task Send_ServerResets_FailsWithConnectionReset()
    {
        await using var raw = new RawServer(RawServer.Behaviour.Reset);

        var response = await Http.Send(_client, Http.CreateRequest("GET", raw.Url("/reset")));

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.ConnectionReset, response.ErrorKind);
    }

    [Fact]
    public async Task Send_ServerHangsPastClientTimeout_FailsWithTimeout()
    {
        await using var raw = new RawServer(RawServer.Behaviour.Hang);
        using var client = HttpClientFactory.Create(new HttpClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var response = await Http.Send(client, Http.CreateRequest("GET", raw.Url("/hang")));

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.Timeout, response.ErrorKind);
    }

    [Fact]
    public async Task Send_ServerHangsPastRequestTimeout_FailsWithTimeout()
    {
        await using var raw = new RawServer(RawServer.Behaviour.Hang);

        var response = await Http.Send(_client, Http.CreateRequest("GET", raw.Url("/hang")).WithTimeout(TimeSpan.FromMilliseconds(200)));

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.Timeout, response.ErrorKind);
    }

    [Fact]
    public async Task Send_RunCancelled_ThrowsOperationCanceled()
    {
        await using var raw = new RawServer(RawServer.Behaviour.Hang);
        using var run = new CancellationTokenSource();
        var ctx = new TestContext { CancellationToken = run.Token };
        var send = Http.Send(_client, Http.CreateRequest("GET", raw.Url("/hang")), ctx);
        await run.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    [Fact]
    public async Task Send_Checks_RecordEachAndPass()
    {
        var ctx = new TestContext();
        var request = Http.CreateRequest("GET", _server.At("/json"))
            .ExpectStatus(200)
            .WithCheck(HttpCheck.Header("Content-Type"))
            .WithCheck(HttpCheck.JsonField("status", "approved"))
            .WithCheck(HttpCheck.JsonField("captured", "true"))
            .WithCheck(HttpCheck.JsonField("items.1.id", "b2"))
            .WithCheck(HttpCheck.JsonField("amount above 10", "amount", v => v.GetDouble() > 10))
            .WithCheck(HttpCheck.BodyContains("approved"));

        var response = await Http.Send(_client, request, ctx);

        Assert.False(response.IsError, response.Message);
        Assert.Equal(
            ["status is 200", "header Content-Type present", "json status is approved", "json captured is true", "json items.1.id is b2", "amount above 10", "body contains 'approved'"],
            ctx.Checks.Select(c => c.Name));
        Assert.All(ctx.Checks, c => Assert.True(c.Passed, c.Name));

        // A body check keeps the body.
        Assert.True(response.Payload!.HasBody);
    }

    [Fact]
    public async Task Send_JsonFieldCheckFails_FailsWithCheckFailed()
    {
        var ctx = new TestContext();
        var request = Http.CreateRequest("GET", _server.At("/json"))
            .WithCheck(HttpCheck.JsonField("status", "declined"))
            .WithCheck(HttpCheck.JsonField("missing.field"));

        var response = await Http.Send(_client, request, ctx);

        Assert.True(response.IsError);
        Assert.Equal(MetricNames.ErrorKinds.CheckFailed, response.ErrorKind);
        Assert.Equal("check 'json status is declined' failed (HTTP 200)", response.Message);
        Assert.Equal([("json status is declined", false), ("json missing.field present", false)], ctx.Checks);
    }

    [Fact]
    public async Task Send_HeaderAndBodyChecks_FailWhenAbsent()
    {
        var ctx = new TestContext();
        var request = Http.CreateRequest("GET", _server.At("/header"))
            .WithCheck(HttpCheck.Header("X-Request-Id", "ABC-123"))
            .WithCheck(HttpCheck.Header("X-Missing"))
            .WithCheck(HttpCheck.BodyContains("nope"))
            .WithCheck(HttpCheck.JsonField("a"));

        var response = await Http.Send(_client, request, ctx);

        Assert.Equal(MetricNames.ErrorKinds.CheckFailed, response.ErrorKind);
        Assert.Equal([true, false, false, false], ctx.Checks.Select(c => c.Passed));
    }

    [Fact]
    public async Task Send_WithoutResponseBody_BodyIsNotKept()
    {
        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/json")));

        Assert.False(response.Payload!.HasBody);
        var e = Assert.Throws<InvalidOperationException>(() => response.Payload.Json());
        Assert.Contains("WithResponseBody()", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Http2Client_UsesHttp2()
    {
        await using var h2 = await KestrelServer.StartAsync(http2: true);
        using var client = HttpClientFactory.Create(new HttpClientOptions { HttpVersion = HttpVersion.Version20 });

        var response = await Http.Send(client, Http.CreateRequest("GET", h2.At("/version")).WithResponseBody());

        Assert.False(response.IsError, response.Message);
        Assert.Equal(HttpVersion.Version20, response.Payload!.Version);
        Assert.Equal("HTTP/2", response.Payload.BodyText);
    }

    [Fact]
    public async Task Send_SameBuilderTwice_SendsTwice()
    {
        var request = Http.CreateRequest("GET", _server.At("/hello")).ExpectStatus(200);

        var first = await Http.Send(_client, request);
        var second = await Http.Send(_client, request);

        Assert.False(first.IsError);
        Assert.False(second.IsError);
        Assert.Equal(first.SentBytes, second.SentBytes);
    }
}
