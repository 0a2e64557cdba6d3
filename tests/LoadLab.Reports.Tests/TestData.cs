using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Reports.Tests;

/// <summary>Builds realistic run results: several scenarios and steps, real HdrHistograms, a fault window and a failing threshold.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A run of <paramref name="seconds"/> seconds (a 600-point timeline by default); <paramref name="slowdown"/> scales payment_flow's latencies.</summary>
    public static RunResult Run(int seconds = 600, string status = RunStatus.Failed, int seed = 42, double slowdown = 1)
    {
        var random = new Random(seed);
        var faultFrom = seconds / 3.0;
        var faultTo = faultFrom + (seconds / 10.0);
        var result = new RunResult
        {
            RunId = "20261124-010000-a1b2c3",
            Status = status,
            Error = status == RunStatus.Interrupted ? "SIGTERM received after 120 s" : null,
            Profile = "nightly",
            Labels = new(StringComparer.Ordinal) { ["service"] = "api-service", ["environment"] = "staging", ["release"] = "1.4.2", ["team"] = "payments & <checkout>" },
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            StartedAt = Start,
            EndedAt = Start.AddSeconds(seconds),
            DurationSeconds = seconds,
            Machine = new MachineInfo { Host = "ci-runner-7", Cores = 2, Os = "Debian GNU/Linux 13", Dotnet = ".NET 10.0.0", LoadLab = "0.1.0" },
            Faults =
            [
                new FaultWindow { Name = "payments-latency", Target = "proxy:payments", Kind = "latency", Start = Start.AddSeconds(faultFrom), End = Start.AddSeconds(faultTo), Injected = 1234 },
            ],
            Generator = new GeneratorHealth
            {
                CpuRatio = 0.42, GcPauseSeconds = 0.087, GcCount = 31, DroppedIterations = 12, PeakWorkingSetBytes = 180L * 1024 * 1024,
                LaunchLateness = Histogram(random, 0.2, 3, 5_000).ToSummary(),
            },
            Telemetry = new TelemetryReport
            {
                Sinks = [new SinkReport { Name = "prometheus-rw", Endpoint = "http://127.0.0.1:9090/api/v1/write", Sent = 120_000 }],
            },
        };

        result.Scenarios.Add(Scenario(random, "browse_catalog", "open", 100, seconds, ["list_products", "get_product"], 12, false));
        result.Scenarios.Add(Scenario(random, "payment_flow", "open", 20, seconds, ["create_order", "authorize", "capture"], 45 * slowdown, true));
        result.Scenarios.Add(Scenario(random, "account_closed", "closed", 0, seconds, ["login"], 30, false));

        foreach (var s in result.Scenarios)
        {
            for (var t = 1; t <= seconds; t++)
            {
                var inFault = t > faultFrom && t <= faultTo && s.Name == "payment_flow";
                var rate = s.Rate.Target > 0 ? Math.Min(s.Rate.Target, s.Rate.Target * t / 10.0) : 8;
                var baseMs = s.ResponseTime.P50 * 1e3 * (inFault ? 6 : 1) * (1 + (0.1 * Math.Sin(t / 17.0)));
                var fail = inFault ? (long)(rate * 0.3) : random.Next(0, 2);
                result.Timeline.Add(new TimelinePoint
                {
                    T = t,
                    Scenario = s.Name,
                    Ok = (long)rate - fail,
                    Fail = fail,
                    TargetRate = s.Rate.Target > 0 ? rate : 0,
                    Concurrency = (int)(rate * baseMs / 1e3) + 1 + (s.Model == "closed" ? 10 : 0),
                    P50 = baseMs / 1e3,
                    P95 = baseMs * 2.4 / 1e3,
                    P99 = baseMs * (3.5 + random.NextDouble()) / 1e3,
                    ServiceP50 = baseMs * 0.9 / 1e3,
                    ServiceP95 = baseMs * 2 / 1e3,
                    Errors = fail == 0 ? null : inFault
                        ? new Dictionary<string, long>(StringComparer.Ordinal) { ["timeout"] = fail / 2, ["http_5xx"] = fail - (fail / 2) }
                        : new Dictionary<string, long>(StringComparer.Ordinal) { ["http_5xx"] = fail },
                });
            }
        }

        result.Thresholds =
        [
            new ThresholdResult { Scenario = "browse_catalog", Expr = "p95(response_time) < 300ms", Passed = true, Value = 0.031, Bound = 0.3 },
            new ThresholdResult { Scenario = "payment_flow", Expr = "p99(response_time) < 250ms", Passed = status != RunStatus.Failed, Value = status == RunStatus.Failed ? 0.412 : 0.21, Bound = 0.25 },
            new ThresholdResult { Scenario = "payment_flow", Expr = "error_rate < 5%", Window = 30, Abort = true, Passed = true, Value = 0.012, Bound = 0.05 },
            new ThresholdResult { Scenario = "account_closed", Expr = "checks > 99%", Passed = true, Value = 0.999, Bound = 0.99 },
        ];
        return result;
    }

    private static ScenarioResult Scenario(Random random, string name, string model, double targetRate, int seconds, string[] steps, double medianMs, bool payments)
    {
        var achieved = targetRate > 0 ? targetRate * 0.98 : 8;
        var total = (long)(achieved * seconds);
        var fail = total / 150;
        var response = Histogram(random, medianMs, 9, 20_000);
        var service = Histogram(random, medianMs * 0.9, 6, 20_000);
        var scenario = new ScenarioResult
        {
            Name = name,
            Model = model,
            DurationSeconds = seconds,
            Iterations = new IterationCounts { Ok = total - fail, Fail = fail, Dropped = model == "open" ? 4 : 0 },
            Rate = new RateInfo { Target = targetRate, Achieved = achieved },
            ResponseTime = response.ToSummary(),
            ServiceTime = service.ToSummary(),
            Errors = new(StringComparer.Ordinal) { ["http_5xx"] = fail * 2 / 3, ["timeout"] = fail - (fail * 2 / 3) },
            Checks = new(StringComparer.Ordinal) { ["status is 2xx"] = new CheckCounts { Pass = total - fail, Fail = fail }, ["body has id"] = new CheckCounts { Pass = total, Fail = 0 } },
            MaxConcurrency = 40,
        };
        foreach (var step in steps)
        {
            var stepMedian = medianMs / steps.Length;
            scenario.Steps.Add(new StepResult
            {
                Name = step,
                Requests = new RequestCounts { Ok = total - (fail / steps.Length), Fail = fail / steps.Length },
                ResponseTime = Histogram(random, stepMedian, 8, 8_000).ToSummary(),
                ServiceTime = Histogram(random, stepMedian * 0.9, 5, 8_000).ToSummary(),
                Errors = new(StringComparer.Ordinal) { ["http_5xx"] = fail / steps.Length },
                StatusCodes = new(StringComparer.Ordinal) { ["200"] = total - (fail / steps.Length), ["503"] = fail / steps.Length },
                Bytes = new ByteCounts { Sent = total * 300, Received = total * 2_000 },
            });
        }

        if (payments)
        {
            scenario.Business["payment"] = new(StringComparer.Ordinal) { ["approved"] = total * 90 / 100, ["declined"] = total * 8 / 100, ["failed"] = fail };
        }

        return scenario;
    }

    /// <summary>A log-normal latency histogram (microseconds) with the given median and p99/median spread.</summary>
    public static HistogramSnapshot Histogram(Random random, double medianMs, double p99OverMedian, int count)
    {
        var builder = new HistogramSnapshotBuilder();
        var sigma = Math.Log(p99OverMedian) / 2.326;
        for (var i = 0; i < count; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            var us = medianMs * 1e3 * Math.Exp(sigma * z);
            builder.Record(Math.Clamp((long)us, 1, 3_600_000_000L));
        }

        return builder.Build();
    }
}
