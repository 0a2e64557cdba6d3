using LoadLab.Histograms;
using LoadLab.Metrics;

namespace LoadLab.Sinks.Prometheus.Tests;

/// <summary>
/// Builds the full snapshots the engine would publish every second for a two-step scenario, with known totals
/// (the engine is not wired to sinks yet; these are the same MetricSample shapes it publishes).
/// </summary>
internal sealed class SyntheticRun
{
    private readonly Random _random = new(42);
    private readonly Dictionary<string, HistogramSnapshotBuilder> _histograms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public SyntheticRun(string runId, string release = "1.2.3")
    {
        RunId = runId;
        RunLabels = LabelSet.Of(("service", "checkout-api"), ("environment", "test"), ("release", release), ("run_id", runId));
    }

    public string RunId { get; }

    public LabelSet RunLabels { get; }

    public static string[] Steps { get; } = ["login", "pay"];

    public List<string> TraceIds { get; } = [];

    public long TotalRequests => _counters.Where(c => c.Key.StartsWith("req|", StringComparison.Ordinal)).Sum(c => c.Value);

    public long Requests(string status) => _counters.Where(c => c.Key.StartsWith("req|", StringComparison.Ordinal) && c.Key.EndsWith("|" + status, StringComparison.Ordinal)).Sum(c => c.Value);

    public HistogramSnapshot ResponseTime(string step) => _histograms[step].Build();

    public HistogramSnapshot AllResponseTimes() => HistogramSnapshot.Merge(Steps.Select(ResponseTime));

    /// <summary>Advances one second: records latencies and counts, and returns the full snapshot.</summary>
    public MetricSample[] Tick(DateTimeOffset timestamp, int requestsPerStep = 200)
    {
        var samples = new List<MetricSample>();
        var scenario = RunLabels.With(("scenario", "checkout"));
        foreach (var step in Steps)
        {
            var builder = _histograms.TryGetValue(step, out var b) ? b : _histograms[step] = new HistogramSnapshotBuilder();
            var exemplars = new List<Exemplar>();
            for (var i = 0; i < requestsPerStep; i++)
            {
                // Log-normal latencies around 40 ms with a long tail, in microseconds.
                var micros = (long)Math.Clamp(40_000 * Math.Exp(0.8 * Gaussian()), 300, 50_000_000);
                builder.Record(micros);
                var failed = _random.NextDouble() < 0.03;
                Add($"req|{step}|{(failed ? "fail" : "ok")}", 1);
                if (failed)
                {
                    Add($"err|{step}|http_5xx", 1);
                }

                if (i < 3)
                {
                    var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
                    TraceIds.Add(traceId);
                    exemplars.Add(new Exemplar(micros / 1e6, traceId, traceId[..16], timestamp));
                }
            }

            var stepLabels = scenario.With(("step", step));
            samples.Add(new MetricSample(MetricNames.ResponseTime, stepLabels, builder.Build(), [.. exemplars], timestamp));
            foreach (var status in new[] { "ok", "fail" })
            {
                samples.Add(new MetricSample(MetricNames.Requests, MetricKind.Counter, stepLabels.With(("status", status)), Get($"req|{step}|{status}"), timestamp));
            }

            samples.Add(new MetricSample(MetricNames.Errors, MetricKind.Counter, stepLabels.With(("kind", "http_5xx")), Get($"err|{step}|http_5xx"), timestamp));
        }

        Add("checks|pass", 180);
        Add("checks|fail", 20);
        samples.Add(new MetricSample(MetricNames.Checks, MetricKind.Counter, scenario.With(("check", "status is 200"), ("result", "pass")), Get("checks|pass"), timestamp));
        samples.Add(new MetricSample(MetricNames.Checks, MetricKind.Counter, scenario.With(("check", "status is 200"), ("result", "fail")), Get("checks|fail"), timestamp));
        samples.Add(new MetricSample(MetricNames.VirtualUsers, MetricKind.Gauge, scenario, 25, timestamp));
        return [.. samples];
    }

    private void Add(string key, long value) => _counters[key] = Get(key) + value;

    private long Get(string key) => _counters.TryGetValue(key, out var v) ? v : 0;

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
