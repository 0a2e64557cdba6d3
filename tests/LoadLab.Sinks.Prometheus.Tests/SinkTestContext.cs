using LoadLab.Results;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus.Tests;

internal static class SinkTestContext
{
    public static SinkContext For(SyntheticRun run, string segment = "1/1") => new()
    {
        RunId = run.RunId,
        RunLabels = run.RunLabels,
        Profile = "test",
        Scenarios = ["checkout"],
        Segment = segment,
    };

    public static RunSummary Summary(IReadOnlyList<Metrics.MetricSample>? final = null) => new()
    {
        Result = new RunResult(),
        FinalSamples = final ?? [],
    };

    public static string NewRunId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
