using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoadLab.Targets.Tests.Chaos;

public sealed class AdminEndpointsTests : IAsyncLifetime
{
    private TargetHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestTargets.StartAsync(TestTargets.Options());
        _client = TestTargets.Client(_host.PaymentsUrl);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Get_WithoutToken_Returns401AndCountsAccessDenied()
    {
        using var response = await _client.GetAsync("/admin/dependency-faults");
        var metrics = await _client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(1, TestTargets.Sample(metrics, "security_events_total", ("event", "access_denied")));
    }

    [Fact]
    public async Task Put_WrongToken_Returns401AndChangesNothing()
    {
        using var request = Request(HttpMethod.Put, "wrong-token", new { outage = true });

        using var response = await _client.SendAsync(request);
        var (payment, _) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());
        var metrics = await _client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, payment.StatusCode);
        Assert.Equal(1, TestTargets.Sample(metrics, "security_events_total", ("event", "invalid_token")));
    }

    [Fact]
    public async Task Put_Outage_PaymentsFailWith503UntilDeleted()
    {
        using var put = Request(HttpMethod.Put, TestTargets.AdminToken, new { outage = true });
        using var putResponse = await _client.SendAsync(put);
        var putBody = await TestTargets.JsonAsync(putResponse);

        var (during, duringBody) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());
        var metricsDuring = await _client.GetStringAsync("/metrics");

        using var delete = Request(HttpMethod.Delete, TestTargets.AdminToken, null);
        using var deleteResponse = await _client.SendAsync(delete);
        var (after, _) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());
        var metricsAfter = await _client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);
        Assert.True(putBody.GetProperty("outage").GetBoolean());
        Assert.True(putBody.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.StartsWith("pay_", duringBody.GetProperty("payment_id").GetString());
        Assert.Equal(1, TestTargets.Sample(metricsDuring, "payments_total", ("outcome", "failed")));
        Assert.Equal(1, TestTargets.Sample(metricsDuring, "dependency_fault_active", ("fault", "outage")));
        Assert.Equal(1, TestTargets.Sample(metricsDuring, "dependency_faults_injected_total", ("dependency", "card-processor"), ("fault", "outage")));
        Assert.Equal(HttpStatusCode.NoContent, deleteResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Equal(0, TestTargets.Sample(metricsAfter, "dependency_fault_active", ("fault", "outage")));
    }

    [Fact]
    public async Task Put_ErrorRateOne_FailsPaymentsWith502AndGetShowsIt()
    {
        using var put = Request(HttpMethod.Put, TestTargets.AdminToken, new { error_rate = 1.0 });
        using var putResponse = await _client.SendAsync(put);
        using var get = Request(HttpMethod.Get, TestTargets.AdminToken, null);
        using var getResponse = await _client.SendAsync(get);
        var current = await TestTargets.JsonAsync(getResponse);

        var (response, _) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());

        Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);
        Assert.Equal(1.0, current.GetProperty("error_rate").GetDouble());
        Assert.Equal("card-processor", current.GetProperty("dependency").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task Put_ErrorRateHalf_FailsAboutHalfOfPayments()
    {
        // Binomial(200, 0.5): 60..140 is more than 5 standard deviations (7.1) either side of 100.
        using var put = Request(HttpMethod.Put, TestTargets.AdminToken, new { error_rate = 0.5 });
        await _client.SendAsync(put);

        var failed = 0;
        for (var i = 0; i < 200; i++)
        {
            var (response, _) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());
            failed += response.StatusCode == HttpStatusCode.BadGateway ? 1 : 0;
        }

        Assert.InRange(failed, 60, 140);
    }

    [Fact]
    public async Task Put_LatencyOnEveryCall_SlowsPaymentsByTheDelay()
    {
        using var put = Request(HttpMethod.Put, TestTargets.AdminToken, new { latency_ms = 300, latency_rate = 1.0 });
        await _client.SendAsync(put);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (response, _) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var metrics = await _client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(290), $"took {elapsed.TotalMilliseconds} ms");
        Assert.Equal(1, TestTargets.Sample(metrics, "dependency_faults_injected_total", ("fault", "latency")));
    }

    [Fact]
    public async Task Put_LatencyBeyondTimeout_FailsPaymentWith504()
    {
        var options = TestTargets.Options();
        options.CardProcessorTimeout = TimeSpan.FromMilliseconds(100);
        await using var host = await TestTargets.StartAsync(options);
        using var client = TestTargets.Client(host.PaymentsUrl);
        using var put = Request(HttpMethod.Put, TestTargets.AdminToken, new { latency_ms = 2000, latency_rate = 1.0 });
        await client.SendAsync(put);

        var (response, _) = await TestTargets.PostAsync(client, "/v1/payments", TestTargets.Payment());

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"error_rate":1.5}""", "error_rate", "Must be a number from 0 to 1.")]
    [InlineData("""{"latency_rate":0.5}""", "latency_ms", "Must be greater than 0 when latency_rate is set.")]
    [InlineData("""{"outage":"yes"}""", "outage", "Must be true or false.")]
    [InlineData("""{"errors":0.1}""", "errors", "Unknown field; expected latency_ms, latency_rate, error_rate or outage.")]
    public async Task Put_InvalidBody_Returns400NamingTheField(string json, string field, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/admin/dependency-faults")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTargets.AdminToken);

        using var response = await _client.SendAsync(request);
        var body = await TestTargets.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, body.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Admin_NoTokenConfigured_Returns404()
    {
        var options = TestTargets.Options();
        options.AdminToken = null;
        await using var host = await TestTargets.StartAsync(options);
        using var client = TestTargets.Client(host.PaymentsUrl);
        using var request = Request(HttpMethod.Get, TestTargets.AdminToken, null);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static HttpRequestMessage Request(HttpMethod method, string token, object? body)
    {
        var request = new HttpRequestMessage(method, "/admin/dependency-faults");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }
}
