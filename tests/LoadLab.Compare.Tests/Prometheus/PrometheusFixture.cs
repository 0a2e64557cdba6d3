using System.Globalization;
using System.Net;
using System.Text;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Compare.Tests.Prometheus;

/// <summary>
/// A real Prometheus (Debian package) that scrapes a loopback endpoint serving the harness metrics of
/// two known runs (release 1.4.1 and 1.4.2, the latter with /v1/items 20% slower). The counters are
/// served at zero first and at their totals after Prometheus has scraped the zeros, so that
/// increase() over the range yields the totals exactly when evaluated at the last scrape.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime, IDisposable
{
    public const int Samples = 3000;
    public const int CandidateFails = 30;

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile string _body = "";
    private Task? _serving;

    public PrometheusServer Server { get; private set; } = null!;

    public string Url => Server.BaseAddress.ToString();

    /// <summary>Gets the time of the last scrape of the totals: queries evaluated there see exact increases.</summary>
    public DateTimeOffset EvaluationTime { get; private set; }

    public async Task InitializeAsync()
    {
        var port = ServerProcess.GetFreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _body = Exposition(zero: true);
        _serving = Task.Run(ServeAsync);
        Server = await PrometheusServer.StartAsync([new ScrapeTarget("loadlab", $"127.0.0.1:{port}")]);

        const string probe = "max(loadlab_iterations_total{release=\"1.4.2\",status=\"ok\"})";
        Assert.True(await PrometheusServer.WaitUntilAsync(async () => await Server.QueryScalarAsync(probe) is 0, TimeSpan.FromSeconds(30)), "Prometheus did not scrape the zero counters");
        _body = Exposition(zero: false);
        Assert.True(await PrometheusServer.WaitUntilAsync(async () => await Server.QueryScalarAsync(probe) is Samples, TimeSpan.FromSeconds(30)), "Prometheus did not scrape the totals");
        var t = await Server.QueryScalarAsync("max(timestamp(loadlab_iterations_total))");
        EvaluationTime = DateTimeOffset.FromUnixTimeMilliseconds((long)(t!.Value * 1000));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_serving is not null)
        {
            await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Server?.Dispose();
    }

    public void Dispose()
    {
        // DisposeAsync did the work; this is for the analyzers and for a failed InitializeAsync.
        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(_body);
            context.Response.ContentType = "text/plain; version=0.0.4";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>The exposition of both runs; latency buckets grow by 10% from 1 ms to about 60 s.</summary>
    private static string Exposition(bool zero)
    {
        var bounds = new List<double>();
        for (var le = 0.001; le < 60; le *= 1.1)
        {
            bounds.Add(Math.Round(le, 6));
        }

        var sb = new StringBuilder();
        sb.AppendLine("# TYPE loadlab_response_time_seconds histogram");
        sb.AppendLine("# TYPE loadlab_iterations_total counter");
        sb.AppendLine("# TYPE loadlab_requests_total counter");
        sb.AppendLine("# TYPE loadlab_dropped_iterations_total counter");
        foreach (var (release, itemsFactor, seed, fails) in new[] { ("1.4.1", 1.0, 1, 28), ("1.4.2", 1.2, 2, CandidateFails) })
        {
            var random = new Random(seed);
            var items = new List<double>();
            var cart = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                items.Add(0.020 * itemsFactor * Math.Exp(0.4 * Gaussian(random)));
                cart.Add(0.030 * Math.Exp(0.4 * Gaussian(random)));
            }

            var total = items.Zip(cart, (a, b) => a + b).ToList();
            var labels = $"service=\"api-service\",environment=\"test\",release=\"{release}\",scenario=\"browse_catalog\"";
            void Histogram(string extra, List<double> values)
            {
                foreach (var le in bounds)
                {
                    var count = zero ? 0 : values.Count(v => v <= le);
                    sb.Append(CultureInfo.InvariantCulture, $"loadlab_response_time_seconds_bucket{{{labels}{extra},le=\"{le.ToString(CultureInfo.InvariantCulture)}\"}} {count}\n");
                }

                sb.Append(CultureInfo.InvariantCulture, $"loadlab_response_time_seconds_bucket{{{labels}{extra},le=\"+Inf\"}} {(zero ? 0 : values.Count)}\n");
                sb.Append(CultureInfo.InvariantCulture, $"loadlab_response_time_seconds_sum{{{labels}{extra}}} {(zero ? 0 : values.Sum()).ToString(CultureInfo.InvariantCulture)}\n");
                sb.Append(CultureInfo.InvariantCulture, $"loadlab_response_time_seconds_count{{{labels}{extra}}} {(zero ? 0 : values.Count)}\n");
            }

            Histogram("", total);
            Histogram(",step=\"/v1/items\"", items);
            Histogram(",step=\"/v1/cart\"", cart);
            sb.Append(CultureInfo.InvariantCulture, $"loadlab_iterations_total{{{labels},status=\"ok\"}} {(zero ? 0 : Samples)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"loadlab_iterations_total{{{labels},status=\"fail\"}} {(zero ? 0 : fails)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"loadlab_requests_total{{{labels},step=\"/v1/items\",status=\"ok\"}} {(zero ? 0 : Samples)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"loadlab_requests_total{{{labels},step=\"/v1/items\",status=\"fail\"}} {(zero ? 0 : fails)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"loadlab_requests_total{{{labels},step=\"/v1/cart\",status=\"ok\"}} {(zero ? 0 : Samples)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"loadlab_dropped_iterations_total{{{labels}}} 0\n");
        }

        return sb.ToString();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
