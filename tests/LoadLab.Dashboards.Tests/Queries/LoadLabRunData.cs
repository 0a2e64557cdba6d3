using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using LoadLab.Chaos.Proxy;
using LoadLab.Cli;
using LoadLab.Targets;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>The time range that holds a fill's data, and the moment the dashboards are looked at.</summary>
internal sealed record DataWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Fills a Prometheus the way a user's stack fills it: the sample targets and a chaos proxy in front
/// of api-service run in this process and are scraped every second (jobs api-service,
/// payments-service, chaos-proxy); then two real invocations of the CLI write their live metrics
/// with remote write and their sampled traces over OTLP to a stand-in for Tempo (so the
/// exemplars' trace ids are traces that exist):
/// <list type="number">
/// <item><c>loadlab run --release 1.4.2 --out prometheus-rw=...</c>: browse_catalog, login (a share
/// with wrong passwords) and payment_flow, the api traffic through the proxy; for part of the run a
/// 503 fault goes on through the proxy's admin API and a card-processor error rate through
/// payments-service's admin API (bearer token), then both are removed;</item>
/// <item><c>loadlab gameday --release 1.5.0</c> with the same load and <c>outputs: prometheus-rw</c>:
/// the game day switches a latency and a 503 fault on the proxy through its admin API.</item>
/// </list>
/// About 50 seconds. Every process and listener is stopped before it returns.
/// </summary>
internal static class LoadLabRunData
{
    /// <summary>The proxy's name: the <c>target</c> label of its fault series.</summary>
    public const string ProxyName = "api-proxy";

    /// <summary>The scrape job of the proxy's /metrics.</summary>
    public const string ProxyJob = "chaos-proxy";

    // The game day reads the proxy's admin token from the environment (gameday.targets.*.token_env).
    private const string TokenVariable = "LOADLAB_DASHBOARDS_PROXY_TOKEN";

    private static readonly TimeSpan s_runLength = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_faultAfter = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan s_faultFor = TimeSpan.FromSeconds(10);

    public static async Task<DataWindow> FillAsync(PrometheusServer prometheus, OtlpReceiver tempo, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var targets = await TargetHost.StartAsync(
            new TargetOptions { Environment = "staging", AdminToken = token, LogOutput = TextWriter.Null, LogRequests = false }, cancellationToken);
        await using var proxy = await ChaosProxy.StartAsync(
            new ChaosProxyOptions { Target = targets.ApiUrl.ToString(), Name = ProxyName, AdminToken = token }, cancellationToken);
        await ScrapeAsync(prometheus, targets, proxy, cancellationToken);

        using var admin = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var directory = Directory.CreateTempSubdirectory("loadlab-dashboards-run-").FullName;
        Environment.SetEnvironmentVariable(TokenVariable, token);
        try
        {
            var results = Path.Combine(directory, "results");
            var profile = Path.Combine(directory, "dashboards.yaml");
            await File.WriteAllTextAsync(profile, Profile("dashboards", proxy.Url, targets.PaymentsUrl, tempo.BaseAddress, s_runLength), cancellationToken);
            using (var stopRun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var run = RunAsync(
                    ["run", profile, "--release", "1.4.2", "--environment", "staging", "--results", results, "--out", $"prometheus-rw={prometheus.RemoteWriteUrl}"],
                    stopRun.Token);
                try
                {
                    await SwitchFaultsAsync(admin, proxy, targets, run, cancellationToken);
                }
                catch
                {
                    // No run outlives the fill (and the targets it loads).
                    await stopRun.CancelAsync();
                    await Task.WhenAny(run);
                    throw;
                }

                await run;
            }

            var gameday = Path.Combine(directory, "gameday.yaml");
            await File.WriteAllTextAsync(gameday, GameDay(proxy, targets, tempo.BaseAddress), cancellationToken);
            var output = await RunAsync(
                ["gameday", gameday, "--release", "1.5.0", "--environment", "staging", "--results", results, "--out", $"prometheus-rw={prometheus.RemoteWriteUrl}"],
                cancellationToken);
            if (output.Contains("verdict: aborted", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the game day injected nothing:\n" + output);
            }

            // One more scrape of the targets and the proxy after the last run.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return new DataWindow(start, DateTimeOffset.UtcNow);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TokenVariable, null);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task ScrapeAsync(PrometheusServer prometheus, TargetHost targets, ChaosProxy proxy, CancellationToken cancellationToken)
    {
        ScrapeTarget[] jobs =
        [
            new("api-service", targets.ApiUrl.Authority),
            new("payments-service", targets.PaymentsUrl.Authority),
            new(ProxyJob, proxy.AdminUrl.Authority),
        ];
        await prometheus.SetScrapeTargetsAsync(jobs, cancellationToken);
        var up = await PrometheusServer.WaitUntilAsync(
            async () => (await prometheus.GetTargetsAsync(cancellationToken)).Count(t => t.Health == "up") == jobs.Length,
            TimeSpan.FromSeconds(20),
            cancellationToken);
        if (!up)
        {
            throw new InvalidOperationException("Prometheus does not scrape the targets and the proxy: " + string.Join(", ", await prometheus.GetTargetsAsync(cancellationToken)));
        }
    }

    // As an operator would with curl: PUT the faults, wait, DELETE them. The run goes on meanwhile.
    private static async Task SwitchFaultsAsync(HttpClient admin, ChaosProxy proxy, TargetHost targets, Task run, CancellationToken cancellationToken)
    {
        var proxyFaults = new Uri(proxy.AdminUrl, "faults");
        var dependencyFaults = new Uri(targets.PaymentsUrl, "admin/dependency-faults");
        await Task.WhenAny(run, Task.Delay(s_faultAfter, cancellationToken));
        EnsureRunning(run);
        await SendAsync(admin, HttpMethod.Put, proxyFaults, new StringContent(
            """
            faults:
              - name: items-503
                match: { path: /v1/items, method: GET }
                status: { code: 503, body: '{"error":"unavailable"}' }
                rate: 0.2
            """,
            Encoding.UTF8,
            "application/yaml"), cancellationToken);

        // Half of the card-processor attempts fail; with the one retry a quarter of the payments answer 502.
        await SendAsync(admin, HttpMethod.Put, dependencyFaults, new StringContent("""{"error_rate":0.5}""", Encoding.UTF8, "application/json"), cancellationToken);
        await Task.WhenAny(run, Task.Delay(s_faultFor, cancellationToken));
        EnsureRunning(run);
        await SendAsync(admin, HttpMethod.Delete, proxyFaults, null, cancellationToken);
        await SendAsync(admin, HttpMethod.Delete, dependencyFaults, null, cancellationToken);
    }

    private static void EnsureRunning(Task run)
    {
        if (run.IsCompleted)
        {
            run.GetAwaiter().GetResult();
            throw new InvalidOperationException("the run ended before its fault window");
        }
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {uri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static async Task<string> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await CliApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);

        // 0 passed, 4 thresholds failed or the hypothesis did not hold: both are runs whose data the dashboards show.
        if (exitCode is not (ExitCodes.Success or ExitCodes.Failed))
        {
            throw new InvalidOperationException($"loadlab {string.Join(' ', args)} exited with {exitCode}:\n{output}\n{error}");
        }

        return output.ToString();
    }

    // A quarter of the iterations head-sampled: enough traced iterations for exemplars in a 20-second run.
    private static string Profile(string name, Uri api, Uri payments, Uri otlp, TimeSpan length) => $$"""
        name: {{name}}
        labels: { service: api-service, environment: staging }
        targets: { api: "{{api.ToString().TrimEnd('/')}}", payments: "{{payments.ToString().TrimEnd('/')}}" }
        scenarios:
          - name: browse_catalog
            load:
              - inject: { rate: 15, interval: 1s, during: {{(int)length.TotalSeconds}}s }
            thresholds:
              - "p95(response_time) < 300ms"
              - "error_rate < 1%"
          - name: login
            settings: { wrong_password_share: 0.2 }
            load:
              - inject: { rate: 4, interval: 1s, during: {{(int)length.TotalSeconds}}s }
            thresholds:
              - "checks > 90%"
          - name: payment_flow
            load:
              - inject: { rate: 5, interval: 1s, during: {{(int)length.TotalSeconds}}s }
            thresholds:
              - "error_rate < 5%"
        outputs:
          - otlp: { endpoint: "{{otlp}}", sample: 0.25 }

        """;

    private static string GameDay(ChaosProxy proxy, TargetHost targets, Uri otlp) =>
        Profile("dashboards-gameday", proxy.Url, targets.PaymentsUrl, otlp, TimeSpan.FromSeconds(60)) + $$"""
        gameday:
          steady_for: 5s
          probe_interval: 2s
          recovery: 6s
          targets:
            {{ProxyName}}: { admin: "{{proxy.AdminUrl}}", token_env: {{TokenVariable}} }
        hypothesis:
          description: Browsing keeps working for most visits while the catalogue is slow, then partly failing.
          probes:
            - { name: api-health, http: "{{new Uri(targets.ApiUrl, "health")}}", status: 200 }
            - { name: browse-errors, stat: error_rate, scenario: browse_catalog, window: 4s, max: 60% }
        method:
          - { at: 0s, for: 12s, target: {{ProxyName}}, name: items-slow, match: { path: /v1/items }, latency: 150ms, rate: 0.5 }
          - { at: 4s, for: 8s, target: {{ProxyName}}, name: items-503, match: { path: /v1/items }, status: { code: 503 }, rate: 0.2 }
        """;
}
