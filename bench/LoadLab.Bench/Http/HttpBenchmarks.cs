using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LoadLab.Bench.Infrastructure;
using LoadLab.Results;
using LoadLab.Targets;

namespace LoadLab.Bench.Http;

/// <summary>
/// HTTP throughput (issue 3) and telemetry overhead (issue 4), against a minimal Kestrel endpoint
/// (the sample api-service's /health with simulated latency off) on loopback:
/// LoadLab closed model with 50 virtual users for 10 s, interleaved three times with
/// <c>wrk -t1 -c50 -d10s</c>; an open-model run at 5,000/s; and the same closed run with every sink on and off, alternating.
/// </summary>
internal static partial class HttpBenchmarks
{
    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex WrkRps();

    private static double Seconds(string minutesSeconds)
    {
        var m = minutesSeconds.IndexOf('m', StringComparison.Ordinal);
        return (int.Parse(minutesSeconds[..m], CultureInfo.InvariantCulture) * 60)
            + double.Parse(minutesSeconds[(m + 1)..].TrimEnd('s'), CultureInfo.InvariantCulture);
    }

    public static async Task RunAsync(BenchTable table, bool quick)
    {
        await using var target = await TargetHost.StartAsync(new TargetOptions { LatencyScale = 0, LogOutput = TextWriter.Null, Seed = 1 }, CancellationToken.None);
        var url = new Uri(target.ApiUrl, "health").ToString();
        var seconds = quick ? 5 : 10;
        var rounds = quick ? 1 : 3;
        var closed = $$"""
            name: http-bench
            scenarios:
              - name: http
                settings: { url: "{{url}}", max_connections: 50 }
                warm_up: 3s
                load: [ { keep_constant: { copies: 50, during: {{seconds}}s } } ]
            """;
        // The target runs in this process: warm its JIT up before measuring anything against it.
        _ = Wrk(url, 3);
        var loadlabRps = new List<double>();
        var wrkRps = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var r = LoadLabProcess.Run(closed, $"http-closed-{round}");
            var s = r.Scenarios[0];
            var requests = s.Iterations.Ok + s.Iterations.Fail;
            var cpuPerRequest = r.Generator.CpuRatio * Environment.ProcessorCount * r.DurationSeconds / Math.Max(1, requests);
            loadlabRps.Add(s.Rate.Achieved);
            table.Add($"round {round}: loadlab 50 VUs {seconds}s", "requests/s", s.Rate.Achieved, "1/s", "report", null,
                $"cpu {cpuPerRequest * 1e6:0.0} µs/request (generator process), errors {s.Iterations.Fail}");
            var (rps, cpu) = Wrk(url, seconds);
            wrkRps.Add(rps);
            table.Add($"round {round}: wrk -t1 -c50 -d{seconds}s", "requests/s", rps, "1/s", "report", null,
                $"cpu {cpu / Math.Max(1, rps * seconds) * 1e6:0.0} µs/request");
        }

        var ratio = loadlabRps.Average() / wrkRps.Average();
        table.Add("loadlab / wrk (mean of rounds)", "throughput ratio", ratio, "x", ">= 0.7", ratio >= 0.7,
            "for reference: NBomber 4 about 0.6, k6 about 0.27 on this kind of machine");

        var open = LoadLabProcess.Run($$"""
            name: http-open
            scenarios:
              - name: http
                settings: { url: "{{url}}", max_connections: 200 }
                load: [ { inject: { rate: 5000, interval: 1s, during: {{seconds}}s } } ]
            """, "http-open");
        var o = open.Scenarios[0];
        var error = Math.Abs(o.Rate.Achieved - 5000) / 5000;
        table.Add($"open model 5,000/s for {seconds}s", "achieved rate error", error * 100, "%", "< 0.5%", error < 0.005,
            $"achieved {o.Rate.Achieved:N1}/s, dropped {o.Iterations.Dropped}, p99 {o.ResponseTime.P99 * 1000:0.##} ms");

        // Telemetry on: a scrape endpoint, remote write and OTLP (no backend listens, so every sink also
        // retries and counts failures: the worst case for overhead) against all off, same target; the two
        // alternate, as the wrk rounds do, so drift on the machine falls on both sides alike.
        var sinksOff = new List<double>();
        var sinksOn = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            sinksOff.Add(LoadLabProcess.Run(closed, $"http-sinks-off-{round}").Scenarios[0].Rate.Achieved);
            sinksOn.Add(LoadLabProcess.Run(closed, $"http-sinks-on-{round}",
                "--out", "prometheus=127.0.0.1:0",
                "--out", "prometheus-rw=http://127.0.0.1:9/api/v1/write",
                "--out", "otlp=http://127.0.0.1:9").Scenarios[0].Rate.Achieved);
            table.Add($"round {round}: sinks off / on", "requests/s", sinksOn[^1], "1/s", "report", null,
                $"off {sinksOff[^1]:N0}/s, ratio {sinksOn[^1] / sinksOff[^1]:0.000}");
        }

        var sinkRatio = sinksOn.Average() / sinksOff.Average();
        table.Add("all sinks on / all off (mean of rounds)", "throughput ratio", sinkRatio, "x", ">= 0.9", sinkRatio >= 0.9,
            $"on {sinksOn.Average():N0}/s, off {sinksOff.Average():N0}/s");
    }

    private static (double Rps, double CpuSeconds) Wrk(string url, int seconds)
    {
        // bash's `times` reports the CPU its children (wrk) used.
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"wrk -t1 -c50 -d{seconds}s {url}; times");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("wrk could not start: apt-get install -y wrk");
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var rps = WrkRps().Match(output);
        if (!rps.Success)
        {
            throw new InvalidOperationException($"wrk did not report requests/sec (install it: apt-get install -y wrk):\n{output}");
        }

        // The last line of `times` is the children's user and system time, e.g. "0m1.234s 0m2.345s".
        var last = output.TrimEnd().Split('\n')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var cpu = last.Length == 2 ? last.Sum(Seconds) : double.NaN;
        return (double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), cpu);
    }
}
