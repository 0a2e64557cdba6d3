using LoadLab.Metrics;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// Two nightly runs (releases 1.4.2 and 1.5.0 of api-service) written with remote write, as the
/// prometheus-rw sink writes them, series by series following the metric contract (MetricNames,
/// DESIGN.md): every harness series carries service, environment, release, run_id and scenario;
/// step where it applies; histograms by status with trace_id exemplars. The sample targets'
/// series (service_http_*, payments_total, security_events_total) carry job and instance as
/// a scrape adds them. Deterministic (fixed seed); 10 s resolution.
/// </summary>
internal sealed class ContractRunData : IRunDataSource
{
    private const int TickSeconds = 10;

    private static readonly double[] s_harnessBuckets = Enumerable.Range(0, 28).Select(i => Math.Round(0.001 * Math.Pow(1.5, i), 6)).ToArray();
    private static readonly double[] s_serviceBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5];

    private readonly Dictionary<string, SeriesBuilder> _series = new(StringComparer.Ordinal);
    private readonly Random _random = new(20261124);

    private sealed record ScenarioShape(string Name, double Rate, string[] Steps, double MedianSeconds, string Check, string[] ErrorKinds);

    private static readonly ScenarioShape[] s_scenarios =
    [
        new("browse_catalog", 20, ["list_items", "get_item"], 0.030, "status is 200", [MetricNames.ErrorKinds.Http5xx, MetricNames.ErrorKinds.Timeout]),
        new("payment_flow", 8, ["authorize", "capture"], 0.060, "status is 201", [MetricNames.ErrorKinds.Http4xx, MetricNames.ErrorKinds.ConnectionReset]),
    ];

    public async Task<DataWindow> FillAsync(PrometheusServer prometheus, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / TickSeconds * TickSeconds) - 30);
        var baselineStart = end.AddMinutes(-26);
        var candidateStart = end.AddMinutes(-12);

        // Runs in time order, so that every series' samples arrive in order.
        Run("1.4.2", "20261124-0100-baseline", baselineStart, TimeSpan.FromMinutes(12), slowdown: 1.0);
        Run("1.5.0", "20261124-0114-candidate", candidateStart, TimeSpan.FromMinutes(12), slowdown: 1.3);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var series = _series.Values.Select(s => s.Build()).ToList();
        await RemoteWriteClient.WriteAsync(http, prometheus.RemoteWriteUrl, series, cancellationToken);
        return new DataWindow(baselineStart, end);
    }

    private void Run(string release, string runId, DateTimeOffset start, TimeSpan duration, double slowdown)
    {
        var run = new[]
        {
            KeyValuePair.Create(MetricNames.Labels.Service, "api-service"),
            KeyValuePair.Create(MetricNames.Labels.Environment, "staging"),
            KeyValuePair.Create(MetricNames.Labels.Release, release),
            KeyValuePair.Create(MetricNames.Labels.RunId, runId),
        };
        var ticks = (int)(duration.TotalSeconds / TickSeconds);
        var faultFrom = ticks / 3;
        var faultTo = faultFrom + (ticks / 4);
        for (var tick = 0; tick <= ticks; tick++)
        {
            var ms = start.AddSeconds(tick * TickSeconds).ToUnixTimeMilliseconds();
            var faultActive = tick >= faultFrom && tick < faultTo;
            foreach (var scenario in s_scenarios)
            {
                var labels = run.Append(KeyValuePair.Create(MetricNames.Labels.Scenario, scenario.Name)).ToArray();
                SimulateTick(scenario, labels, ms, tick == 0, slowdown, faultActive && scenario.Name == "browse_catalog");
            }

            var items = run.Append(KeyValuePair.Create(MetricNames.Labels.Scenario, "browse_catalog")).ToArray();
            Gauge(MetricNames.FaultActive, items, [("fault", "items-slow"), ("target", "api-proxy")], ms, faultActive ? 1 : 0);
            Counter(MetricNames.FaultsInjected, items, [("fault", "items-slow"), ("target", "api-proxy")], ms, faultActive ? _random.Next(30, 60) : 0);
            var passing = !(slowdown > 1 && tick >= faultFrom);
            Gauge(MetricNames.RunPassed, items, [], ms, passing ? 1 : 0);
            foreach (var scenario in s_scenarios)
            {
                var labels = run.Append(KeyValuePair.Create(MetricNames.Labels.Scenario, scenario.Name)).ToArray();
                Gauge(MetricNames.ThresholdPassed, labels, [("threshold", "p95(response_time) < 300ms")], ms, passing || scenario.Name != "browse_catalog" ? 1 : 0);
                Gauge(MetricNames.ThresholdPassed, labels, [("threshold", "error_rate < 1%")], ms, 1);
                Gauge(MetricNames.GeneratorCpu, labels, [], ms, 0.2 + (_random.NextDouble() * 0.2));
            }
        }
    }

    private void SimulateTick(ScenarioShape scenario, KeyValuePair<string, string>[] labels, long ms, bool first, double slowdown, bool fault)
    {
        var iterations = first ? 0 : (int)(scenario.Rate * TickSeconds);
        var failProbability = fault ? 0.08 : 0.004;
        var ok = 0;
        var fail = 0;
        var slowest = (Latency: 0.0, Status: "ok");
        var iterationResponse = new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["ok"] = [], ["fail"] = [] };
        var iterationService = new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["ok"] = [], ["fail"] = [] };
        var stepResponse = scenario.Steps.ToDictionary(s => s, _ => new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["ok"] = [], ["fail"] = [] }, StringComparer.Ordinal);
        var stepService = scenario.Steps.ToDictionary(s => s, _ => new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["ok"] = [], ["fail"] = [] }, StringComparer.Ordinal);
        var errors = new Dictionary<(string Step, string Kind), int>();
        var checks = (Pass: 0, Fail: 0);
        var business = new Dictionary<string, int>(StringComparer.Ordinal) { ["approved"] = 0, ["declined"] = 0, ["failed"] = 0 };
        for (var i = 0; i < iterations; i++)
        {
            double response = 0, service = 0;
            var failed = false;
            foreach (var step in scenario.Steps)
            {
                var stepService1 = LogNormal(scenario.MedianSeconds * slowdown * (fault ? 4 : 1), 0.5);
                // Lateness behind the intended start: the open model's queueing (larger in a fault).
                var lateness = fault ? _random.NextDouble() * 0.2 : _random.NextDouble() * 0.002;
                var stepFailed = _random.NextDouble() < failProbability;
                var status = stepFailed ? "fail" : "ok";
                stepResponse[step][status].Add(stepService1 + lateness);
                stepService[step][status].Add(stepService1);
                response += stepService1 + lateness;
                service += stepService1;
                if (stepFailed)
                {
                    failed = true;
                    var kind = scenario.ErrorKinds[_random.Next(scenario.ErrorKinds.Length)];
                    errors[(step, kind)] = errors.GetValueOrDefault((step, kind)) + 1;
                    break;
                }
            }

            var iterationStatus = failed ? "fail" : "ok";
            iterationResponse[iterationStatus].Add(response);
            iterationService[iterationStatus].Add(service);
            if (failed)
            {
                fail++;
                checks.Fail++;
            }
            else
            {
                ok++;
                checks.Pass++;
            }

            if (response > slowest.Latency)
            {
                slowest = (response, iterationStatus);
            }

            if (scenario.Name == "payment_flow")
            {
                var outcome = failed ? "failed" : _random.NextDouble() < 0.12 ? "declined" : "approved";
                business[outcome]++;
            }
        }

        Counter(MetricNames.Iterations, labels, [("status", "ok")], ms, ok);
        Counter(MetricNames.Iterations, labels, [("status", "fail")], ms, fail);
        Counter(MetricNames.DroppedIterations, labels, [], ms, fault ? _random.Next(0, 5) : 0);
        Counter(MetricNames.Checks, labels, [("check", scenario.Check), ("result", "pass")], ms, checks.Pass);
        Counter(MetricNames.Checks, labels, [("check", scenario.Check), ("result", "fail")], ms, checks.Fail);
        Gauge(MetricNames.TargetRate, labels, [], ms, scenario.Rate);
        Gauge(MetricNames.VirtualUsers, labels, [], ms, first ? 0 : Math.Ceiling(scenario.Rate * scenario.MedianSeconds * scenario.Steps.Length * slowdown * (fault ? 8 : 1)));
        foreach (var step in scenario.Steps)
        {
            foreach (var kind in scenario.ErrorKinds)
            {
                Counter(MetricNames.Errors, labels, [("step", step), ("kind", kind)], ms, errors.GetValueOrDefault((step, kind)));
            }

            foreach (var status in new[] { "ok", "fail" })
            {
                var requests = stepService[step][status].Count;
                Counter(MetricNames.Requests, labels, [("step", step), ("status", status)], ms, requests);
                Histogram(MetricNames.ResponseTime, labels, [("step", step), ("status", status)], ms, stepResponse[step][status], exemplar: status == "ok" && stepResponse[step][status].Count > 0);
                Histogram(MetricNames.ServiceTime, labels, [("step", step), ("status", status)], ms, stepService[step][status], exemplar: false);
            }
        }

        foreach (var status in new[] { "ok", "fail" })
        {
            Histogram(MetricNames.ResponseTime, labels, [("status", status)], ms, iterationResponse[status], exemplar: status == slowest.Status && iterations > 0);
            Histogram(MetricNames.ServiceTime, labels, [("status", status)], ms, iterationService[status], exemplar: false);
        }

        if (scenario.Name == "payment_flow")
        {
            foreach (var (outcome, count) in business)
            {
                Counter(MetricNames.BusinessEvents, labels, [("event", "payment"), ("outcome", outcome)], ms, count);
            }
        }

        TargetServices(scenario, ms, iterations, fault);
    }

    // The sample targets' own metrics, as Prometheus scrapes them (job and instance added).
    private void TargetServices(ScenarioShape scenario, long ms, int iterations, bool fault)
    {
        if (scenario.Name == "browse_catalog")
        {
            var api = new[] { KeyValuePair.Create("job", "api-service"), KeyValuePair.Create("instance", "127.0.0.1:5080") };
            var errors = fault ? (int)(iterations * 0.08) : _random.Next(0, 2);
            ServiceRequests(api, "api-service", "GET", "/v1/items", ms, [("200", iterations)]);
            ServiceRequests(api, "api-service", "GET", "/v1/items/{id}", ms, [("200", iterations - errors), ("404", _random.Next(0, 3)), ("503", errors)]);
            Counter("security_events_total", api, [("event", "invalid_token")], ms, _random.Next(0, 2));
            Counter("security_events_total", api, [("event", "access_denied")], ms, _random.Next(0, 2));
        }
        else
        {
            var payments = new[] { KeyValuePair.Create("job", "payments-service"), KeyValuePair.Create("instance", "127.0.0.1:5081") };
            var declined = (int)(iterations * 0.12);
            var failed = _random.Next(0, 2);
            ServiceRequests(payments, "payments-service", "POST", "/v1/payments", ms, [("201", iterations - declined - failed), ("402", declined), ("500", failed)]);
            Counter("payments_total", payments, [("outcome", "approved")], ms, iterations - declined - failed);
            Counter("payments_total", payments, [("outcome", "declined")], ms, declined);
            Counter("payments_total", payments, [("outcome", "failed")], ms, failed);
            Counter("security_events_total", payments, [("event", "login_failed")], ms, _random.Next(0, 2));
        }
    }

    private void ServiceRequests(KeyValuePair<string, string>[] scrape, string service, string method, string endpoint, long ms, (string Code, int Count)[] codes)
    {
        var labels = scrape.Append(KeyValuePair.Create("service", service)).Append(KeyValuePair.Create("environment", "staging")).ToArray();
        var durations = new List<double>();
        foreach (var (code, count) in codes)
        {
            Counter("service_http_requests_total", labels, [("method", method), ("code", code), ("endpoint", endpoint)], ms, Math.Max(0, count));
            for (var i = 0; i < count; i++)
            {
                durations.Add(LogNormal(0.04, 0.6));
            }
        }

        HistogramWith("service_http_request_duration_seconds", labels, [("endpoint", endpoint)], ms, durations, s_serviceBuckets, exemplar: false);
    }

    private void Counter(string name, KeyValuePair<string, string>[] labels, (string, string)[] extra, long ms, double increment) =>
        Get(name, labels, extra).AddToCounter(ms, increment);

    private void Gauge(string name, KeyValuePair<string, string>[] labels, (string, string)[] extra, long ms, double value) =>
        Get(name, labels, extra).Set(ms, value);

    private void Histogram(string name, KeyValuePair<string, string>[] labels, (string, string)[] extra, long ms, List<double> values, bool exemplar) =>
        HistogramWith(name, labels, extra, ms, values, s_harnessBuckets, exemplar);

    private void HistogramWith(string name, KeyValuePair<string, string>[] labels, (string, string)[] extra, long ms, List<double> values, double[] buckets, bool exemplar)
    {
        var max = values.Count > 0 ? values.Max() : 0;
        // The exemplar of the slowest iteration goes on the first bucket that holds it.
        var exemplarBucket = Array.FindIndex(buckets, b => max <= b);
        exemplarBucket = exemplarBucket < 0 ? buckets.Length : exemplarBucket;
        for (var i = 0; i <= buckets.Length; i++)
        {
            var bound = i < buckets.Length ? buckets[i] : double.PositiveInfinity;
            var le = i < buckets.Length ? bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "+Inf";
            var bucket = Get(name + "_bucket", labels, [.. extra, ("le", le)]);
            bucket.AddToCounter(ms, values.Count(v => v <= bound));
            if (exemplar && i == exemplarBucket)
            {
                var traceId = Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()));
                bucket.AddExemplar(new Exemplar([KeyValuePair.Create("trace_id", traceId)], max, ms));
            }
        }

        Get(name + "_sum", labels, extra).AddToCounter(ms, values.Sum());
        Get(name + "_count", labels, extra).AddToCounter(ms, values.Count);
    }

    private SeriesBuilder Get(string name, KeyValuePair<string, string>[] labels, (string Name, string Value)[] extra)
    {
        var all = labels.Concat(extra.Select(e => KeyValuePair.Create(e.Name, e.Value)))
            .Append(KeyValuePair.Create("__name__", name))
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .ToList();
        var key = string.Join('\u0001', all.Select(l => l.Key + "=" + l.Value));
        if (!_series.TryGetValue(key, out var series))
        {
            series = new SeriesBuilder(all);
            _series.Add(key, series);
        }

        return series;
    }

    private double LogNormal(double median, double sigma)
    {
        // Box-Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    private sealed class SeriesBuilder(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        private readonly List<Sample> _samples = [];
        private readonly List<Exemplar> _exemplars = [];
        private double _total;

        public void AddToCounter(long ms, double increment)
        {
            _total += increment;
            Set(ms, _total);
        }

        public void Set(long ms, double value)
        {
            if (_samples.Count > 0 && _samples[^1].TimestampMs == ms)
            {
                _samples[^1] = new Sample(ms, value);
            }
            else
            {
                _samples.Add(new Sample(ms, value));
            }
        }

        public void AddExemplar(Exemplar exemplar) => _exemplars.Add(exemplar);

        public WriteSeries Build() => new(labels, _samples, _exemplars);
    }
}
