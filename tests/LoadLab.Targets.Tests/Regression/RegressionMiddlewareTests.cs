using System.Diagnostics;
using System.Net;

namespace LoadLab.Targets.Tests.Regression;

public class RegressionMiddlewareTests
{
    [Fact]
    public async Task LatencySpec_DoublesTheRoute_MedianRisesByAboutTheBaseline()
    {
        // Baseline 20 ms on /v1/items; "+100%" adds as much again. Medians of 30 requests each,
        // with a generous margin: the regressed median must be at least 15 ms above the baseline's.
        var baseline = await MedianAsync(spec: null);
        var regressed = await MedianAsync(spec: "latency:/v1/items:+100%");

        Assert.True(baseline >= 18, $"baseline median {baseline} ms");
        Assert.True(regressed - baseline >= 15, $"baseline {baseline} ms, regressed {regressed} ms");
    }

    [Fact]
    public async Task LatencySpec_OtherRoute_NotSlowed()
    {
        var options = TestTargets.Options();
        options.Regressions.Add("latency:/v1/items:+5000ms");
        await using var host = await TestTargets.StartAsync(options);
        using var client = TestTargets.Client(host.ApiUrl);

        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ErrorsSpec_TwentyPercent_ShareWithinTolerance()
    {
        var options = TestTargets.Options();
        options.Regressions.Add("errors:/v1/items:20%");
        await using var host = await TestTargets.StartAsync(options);
        using var client = TestTargets.Client(host.ApiUrl);

        var errors = 0;
        var statuses = new HashSet<HttpStatusCode>();
        for (var i = 0; i < 400; i++)
        {
            using var response = await client.GetAsync("/v1/items/1");
            if ((int)response.StatusCode >= 500)
            {
                errors++;
                statuses.Add(response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        using var health = await client.GetAsync("/health");

        // Binomial(400, 0.2): mean 80, sd 8; 40..120 is 5 sd either side.
        Assert.InRange(errors, 40, 120);
        Assert.Equal(new HashSet<HttpStatusCode> { HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable }, statuses);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task ErrorsSpec_FixedStatus_CountedInRequestMetrics()
    {
        var options = TestTargets.Options();
        options.Regressions.Add("errors:/v1/payments:100%:503");
        await using var host = await TestTargets.StartAsync(options);
        using var client = TestTargets.Client(host.PaymentsUrl);

        var (response, _) = await TestTargets.PostAsync(client, "/v1/payments", TestTargets.Payment());
        var metrics = await client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, TestTargets.Sample(metrics, "service_http_requests_total", ("code", "503"), ("endpoint", "/v1/payments")));
    }

    private static async Task<double> MedianAsync(string? spec)
    {
        var options = TestTargets.Options();
        options.LatencyScale = 1;
        options.EndpointLatencies["/v1/items"] = TimeSpan.FromMilliseconds(20);
        if (spec is not null)
        {
            options.Regressions.Add(spec);
        }

        await using var host = await TestTargets.StartAsync(options);
        using var client = TestTargets.Client(host.ApiUrl);
        (await client.GetAsync("/v1/items")).Dispose();
        var samples = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync("/v1/items?page_size=5");
            await response.Content.ReadAsByteArrayAsync();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}
