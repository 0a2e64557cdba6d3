using System.Net;
using System.Net.Sockets;

namespace LoadLab.Targets.Tests;

public class TargetHostTests
{
    [Fact]
    public async Task StartAsync_PortZero_BindsLoopbackOnFreePorts()
    {
        await using var host = await TestTargets.StartAsync(TestTargets.Options());

        Assert.Equal("127.0.0.1", host.ApiUrl.Host);
        Assert.Equal("127.0.0.1", host.PaymentsUrl.Host);
        Assert.NotEqual(0, host.ApiUrl.Port);
        Assert.NotEqual(host.ApiUrl.Port, host.PaymentsUrl.Port);
    }

    [Fact]
    public async Task StartAsync_BadRegressionSpec_ThrowsFormatExceptionBeforeListening()
    {
        var options = TestTargets.Options();
        options.Regressions.Add("errors:/v1/payments:lots");

        var ex = await Assert.ThrowsAsync<FormatException>(() => TestTargets.StartAsync(options));

        Assert.Contains("'errors:/v1/payments:lots'", ex.Message);
    }

    [Fact]
    public async Task StartAsync_PortTaken_ThrowsIOExceptionNamingServiceAndAddress()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var options = TestTargets.Options();
        options.PaymentsPort = port;

        var ex = await Assert.ThrowsAsync<IOException>(() => TestTargets.StartAsync(options));

        Assert.StartsWith($"payments-service could not listen on 127.0.0.1:{port}:", ex.Message);
    }

    [Fact]
    public async Task DisposeAsync_TemporaryDataDirectory_IsDeleted()
    {
        var host = await TestTargets.StartAsync(TestTargets.Options());
        var directory = host.DataDirectory;
        Assert.True(Directory.Exists(directory));

        await host.DisposeAsync();

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task RunAsync_UntilCancelled_PrintsUrlsServesAndStops()
    {
        using var output = new StringWriter();
        using var cts = new CancellationTokenSource();
        var options = TestTargets.Options();
        options.Regressions.Add("latency:/v1/items:+20%");
        var run = TargetHost.RunAsync(options, TextWriter.Synchronized(output), cts.Token);

        string text;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(text = output.ToString()).Contains("Press Ctrl+C", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(20) && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        var apiUrl = text.Split('\n').Single(l => l.StartsWith("api-service", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        using var client = new HttpClient();
        using var health = await client.GetAsync(new Uri(new Uri(apiUrl), "/health"));
        await cts.CancelAsync();
        await run;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("regression       latency:/v1/items:+20%", text);
        Assert.Contains("admin API        http://127.0.0.1:", text);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(new Uri(new Uri(apiUrl), "/health")));
    }
}
