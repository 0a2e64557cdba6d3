using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LoadLab.Http.Tests.Support;
using LoadLab.Http.Tracing;
using LoadLab.Telemetry;

namespace LoadLab.Http.Tests.Tracing;

[Collection(ActivityListenerCollection.Name)]
public sealed partial class HttpTracingTests : IAsyncLifetime
{
    private const string TestSourceName = "LoadLab.Http.Tests";
    private static readonly ActivitySource s_testSource = new(TestSourceName);
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private KestrelServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KestrelServer.StartAsync();
        _client = HttpClientFactory.Create();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Send_WithoutCurrentActivity_SendsAFreshUnsampledTraceparent()
    {
        Activity.Current = null;

        var first = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/trace")).WithResponseBody());
        var second = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/trace")).WithResponseBody());

        var a = first.Payload!.BodyText;
        var b = second.Payload!.BodyText;
        Assert.Matches(TraceParent(), a);
        Assert.EndsWith("-00", a, StringComparison.Ordinal);
        Assert.NotEqual(a[3..35], b[3..35]);
    }

    [Fact]
    public async Task Send_WithCurrentActivityAndListener_TraceparentIsTheClientSpan()
    {
        using var listener = Listen();
        using var step = s_testSource.StartActivity("step authorize")!;

        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/trace?api_key=s3cret&page=2")).WithResponseBody());

        var header = response.Payload!.BodyText;
        Assert.Matches(TraceParent(), header);
        var client = Assert.Single(_stopped, a => a.Source.Name == TraceConventions.HttpActivitySourceName && a.TraceId == step.TraceId);
        Assert.Equal($"00-{client.TraceId}-{client.SpanId}-01", header);
        Assert.Equal(step.SpanId, client.ParentSpanId);
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal("GET", client.DisplayName);
        Assert.Equal("GET", client.GetTagItem("http.request.method"));
        Assert.Equal(_server.At("/trace?api_key=REDACTED&page=2"), client.GetTagItem("url.full"));
        Assert.Equal("127.0.0.1", client.GetTagItem("server.address"));
        Assert.Equal(_server.Url.Port, client.GetTagItem("server.port"));
        Assert.Equal(200, client.GetTagItem("http.response.status_code"));
        Assert.Null(client.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, client.Status);
    }

    [Fact]
    public async Task Send_FailedRequestWithListener_SpanCarriesErrorType()
    {
        using var listener = Listen();
        using var step = s_testSource.StartActivity("step fail")!;

        await Http.Send(_client, Http.CreateRequest("GET", _server.At("/status/503")));
        await Http.Send(_client, Http.CreateRequest("GET", $"http://127.0.0.1:{RawServers.ClosedPort()}/"));

        var spans = _stopped.Where(a => a.Source.Name == TraceConventions.HttpActivitySourceName && a.TraceId == step.TraceId).ToList();
        Assert.Equal(2, spans.Count);
        Assert.Equal("503", spans[0].GetTagItem("error.type"));
        Assert.Equal(503, spans[0].GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, spans[0].Status);
        Assert.Equal("connection_refused", spans[1].GetTagItem("error.type"));
        Assert.Null(spans[1].GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Send_WithCurrentActivityButNoHttpListener_PropagatesTheCurrentContext()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        using var step = s_testSource.StartActivity("step")!;

        var response = await Http.Send(_client, Http.CreateRequest("GET", _server.At("/trace")).WithResponseBody());

        // AllData without Recorded: the sampled flag is off, the ids are the step's.
        Assert.Equal($"00-{step.TraceId}-{step.SpanId}-00", response.Payload!.BodyText);
    }

    [Theory]
    [InlineData("http://user:pw@127.0.0.1:80/a?b=1", "http://127.0.0.1/a?b=1")]
    [InlineData("http://127.0.0.1:5080/v1/login?password=x&user=ada", "http://127.0.0.1:5080/v1/login?password=REDACTED&user=ada")]
    [InlineData("http://127.0.0.1:5080/x?access_token=t&Card_Number=4242&flag", "http://127.0.0.1:5080/x?access_token=REDACTED&Card_Number=REDACTED&flag")]
    public void RedactUrl_SecretsInUserInfoOrQuery_AreRemoved(string url, string expected)
    {
        Assert.Equal(expected, HttpTracing.RedactUrl(new Uri(url)));
    }

    [GeneratedRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$")]
    private static partial Regex TraceParent();

    private ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TestSourceName || s.Name == TraceConventions.HttpActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
