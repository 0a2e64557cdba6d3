using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LoadLab.Targets.Observability;

namespace LoadLab.Targets.Tests.Observability;

public sealed class ObservabilityTests : IAsyncLifetime, IDisposable
{
    private const string CardNumber = "4242424242424242";
    private const string Password = "pass-23";
    private readonly LogCapture _logs = new();
    private TargetHost _host = null!;
    private HttpClient _api = null!;
    private HttpClient _payments = null!;

    public async Task InitializeAsync()
    {
        _host = await TestTargets.StartAsync(TestTargets.Options(_logs));
        _api = TestTargets.Client(_host.ApiUrl);
        _payments = TestTargets.Client(_host.PaymentsUrl);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _payments.Dispose();
        await _host.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Metrics_RequestCounterAndHistogram_UseRouteTemplateAndGuideBuckets()
    {
        (await _api.GetAsync("/v1/items/5")).Dispose();
        (await _api.GetAsync("/v1/items/6")).Dispose();
        (await _api.GetAsync("/nowhere/at/all")).Dispose();

        var metrics = await _api.GetStringAsync("/metrics");

        Assert.Equal(2, TestTargets.Sample(metrics, "service_http_requests_total",
            ("service", "api-service"), ("method", "GET"), ("code", "200"), ("environment", "test"), ("endpoint", "/v1/items/{id}")));
        Assert.Equal(1, TestTargets.Sample(metrics, "service_http_requests_total", ("code", "404"), ("endpoint", "unmatched")));
        Assert.DoesNotContain("/v1/items/5", metrics);
        Assert.DoesNotContain("/nowhere", metrics);
        Assert.Equal(2, TestTargets.Sample(metrics, "service_http_request_duration_seconds_count",
            ("service", "api-service"), ("endpoint", "/v1/items/{id}"), ("environment", "test")));
        var buckets = metrics.Split('\n')
            .Where(l => l.StartsWith("service_http_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("endpoint=\"/v1/items/{id}\"", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..])
            .Select(l => l[..l.IndexOf('"', StringComparison.Ordinal)])
            .ToArray();
        Assert.Equal(["0.05", "0.1", "0.25", "0.5", "1", "2", "5", "+Inf"], buckets);
    }

    [Fact]
    public async Task Metrics_LabelSets_AreExactlyTheContract()
    {
        (await _api.GetAsync("/health")).Dispose();
        await TestTargets.PostAsync(_payments, "/v1/payments", TestTargets.Payment());
        var api = await _api.GetStringAsync("/metrics");
        var payments = await _payments.GetStringAsync("/metrics");

        Assert.Equal(["code", "endpoint", "environment", "method", "service"], LabelNames(api, "service_http_requests_total"));
        Assert.Equal(["endpoint", "environment", "le", "service"], LabelNames(api, "service_http_request_duration_seconds_bucket"));
        Assert.Equal(["environment", "event", "service"], LabelNames(api, "security_events_total"));
        Assert.Equal(["environment", "outcome", "service"], LabelNames(payments, "payments_total"));
        Assert.Equal(1, TestTargets.Sample(payments, "payments_total", ("service", "payments-service"), ("environment", "test"), ("outcome", "approved")));
        Assert.Equal(0, TestTargets.Sample(payments, "payments_total", ("outcome", "declined")));
        Assert.Equal(0, TestTargets.Sample(payments, "payments_total", ("outcome", "failed")));
        Assert.Equal(1, TestTargets.Sample(api, "service_build_info", ("service", "api-service"), ("release", "1.2.3-test")));
        foreach (var name in new[] { "login_failed", "invalid_token", "access_denied" })
        {
            Assert.NotNull(TestTargets.Sample(api, "security_events_total", ("event", name)));
        }
    }

    [Fact]
    public async Task Metrics_TwoHostsInOneProcess_DoNotShareCounters()
    {
        await using var other = await TestTargets.StartAsync(TestTargets.Options());
        using var otherClient = TestTargets.Client(other.ApiUrl);
        for (var i = 0; i < 3; i++)
        {
            (await otherClient.GetAsync("/v1/items/1")).Dispose();
        }

        var mine = await _api.GetStringAsync("/metrics");

        Assert.Null(TestTargets.Sample(mine, "service_http_requests_total", ("endpoint", "/v1/items/{id}")));
    }

    [Fact]
    public async Task Logs_EveryLine_IsJsonWithServiceEnvironmentAndTraceIds()
    {
        (await _api.GetAsync("/v1/items/3")).Dispose();
        await TestTargets.PostAsync(_payments, "/v1/payments", TestTargets.Payment());

        var lines = _logs.Parsed();
        var requests = lines.Where(l => l.GetProperty("category").GetString() == "LoadLab.Targets.Requests").ToArray();

        Assert.NotEmpty(requests);
        Assert.All(lines, l =>
        {
            Assert.Contains(l.GetProperty("service").GetString(), new[] { "api-service", "payments-service" });
            Assert.Equal("test", l.GetProperty("environment").GetString());
            Assert.Equal("1.2.3-test", l.GetProperty("release").GetString());
            Assert.True(l.TryGetProperty("trace_id", out _));
            Assert.True(l.TryGetProperty("span_id", out _));
        });
        Assert.All(requests, l => Assert.Matches("^[0-9a-f]{32}$", l.GetProperty("trace_id").GetString()));
        Assert.Contains(requests, l => l.GetProperty("endpoint").GetString() == "/v1/items/{id}" && l.GetProperty("status_code").GetInt32() == 200);
    }

    [Fact]
    public async Task Tracing_CallerTraceparent_ServerJoinsTheCallersTrace()
    {
        // A caller from another process: its traceparent goes out as written (no propagator in this
        // process rewrites it, which the tracing of the targets in this test process would do).
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var caller = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = _host.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/items/2");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_logs.Parsed(), l =>
            l.GetProperty("category").GetString() == "LoadLab.Targets.Requests"
            && l.GetProperty("trace_id").GetString() == traceId
            && l.GetProperty("span_id").GetString() != "00f067aa0ba902b7");
    }

    [Fact]
    public async Task Redaction_CardNumberPasswordAndTokens_NeverInLogsOrMetrics()
    {
        await TestTargets.PostAsync(_payments, "/v1/payments", TestTargets.Payment(CardNumber));
        await TestTargets.PostAsync(_payments, "/v1/payments", TestTargets.Payment("4242 4242 4242 4242"));
        await TestTargets.PostAsync(_payments, "/v1/payments", new { customer = "c", amount = 5, currency = "EUR", card_token = "tok_visa" });
        await TestTargets.PostAsync(_payments, "/v1/payments", new { customer = "c", amount = 5, currency = "EUR", card_token = "tok_not_a_real_one" });
        await TestTargets.PostAsync(_payments, "/v1/payments", new { customer = "c", amount = -1, currency = "EUR", card_number = CardNumber });
        var (_, login) = await TestTargets.PostAsync(_api, "/v1/login", new { user = "user23", password = Password });
        await TestTargets.PostAsync(_api, "/v1/login", new { user = "user23", password = "wrong-" + Password });
        var token = login.GetProperty("access_token").GetString()!;
        using (var me = new HttpRequestMessage(HttpMethod.Get, "/v1/me"))
        {
            me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await _api.SendAsync(me)).Dispose();
        }

        using (var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/dependency-faults"))
        {
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTargets.AdminToken + "x");
            (await _payments.SendAsync(admin)).Dispose();
        }

        var everything = string.Join('\n', _logs.Lines) + await _api.GetStringAsync("/metrics") + await _payments.GetStringAsync("/metrics");

        Assert.Contains("\"card_last4\":\"4242\"", everything);
        foreach (var secret in new[] { CardNumber, "4242 4242 4242 4242", "tok_visa", "tok_not_a_real_one", Password, token, TestTargets.AdminToken })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }

    [Fact]
    public void ResolveTracesEndpoint_BaseUrl_AppendsTracesPath()
    {
        Assert.Equal("http://127.0.0.1:4318/v1/traces", Tracing.ResolveTracesEndpoint(new Uri("http://127.0.0.1:4318"))!.ToString());
        Assert.Equal("http://127.0.0.1:4318/v1/traces", Tracing.ResolveTracesEndpoint(new Uri("http://127.0.0.1:4318/v1/traces"))!.ToString());
    }

    private static string[] LabelNames(string exposition, string name)
    {
        var line = exposition.Split('\n').First(l => l.StartsWith(name + "{", StringComparison.Ordinal));
        var labels = line[(name.Length + 1)..line.IndexOf('}', StringComparison.Ordinal)];
        return labels.Split(',').Select(p => p[..p.IndexOf('=', StringComparison.Ordinal)]).Order(StringComparer.Ordinal).ToArray();
    }
}
