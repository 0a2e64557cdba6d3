using LoadLab.Metrics;

namespace LoadLab.Sinks.Prometheus.Exposition;

/// <summary>HELP texts of the harness metrics (the same meanings as docs/metrics.md).</summary>
internal static class MetricHelp
{
    private static readonly Dictionary<string, string> s_help = new(StringComparer.Ordinal)
    {
        [MetricNames.Iterations] = "Scenario iterations finished, by status ok|fail.",
        [MetricNames.Requests] = "Step requests finished, by step and status ok|fail.",
        [MetricNames.Errors] = "Errors, by step and kind.",
        [MetricNames.ResponseTime] = "Response time from the intended start, in seconds.",
        [MetricNames.ServiceTime] = "Service time from the actual start, in seconds.",
        [MetricNames.Checks] = "Checks evaluated, by check and result pass|fail.",
        [MetricNames.ThresholdPassed] = "Whether a threshold holds (1) or not (0).",
        [MetricNames.RunPassed] = "Whether the run passes (1) or not (0).",
        [MetricNames.VirtualUsers] = "Iterations in flight (open model) or virtual users (closed model).",
        [MetricNames.TargetRate] = "Intended iteration arrivals per second.",
        [MetricNames.DroppedIterations] = "Iterations that were due but never started.",
        [MetricNames.GeneratorCpu] = "CPU used by the load generator, as a share of the machine.",
        [MetricNames.FaultActive] = "Whether a fault is active (1) or not (0).",
        [MetricNames.FaultsInjected] = "Faults injected.",
        [MetricNames.BusinessEvents] = "Business events reported by scenarios, by event and outcome.",
    };

    public static string For(string name) => s_help.TryGetValue(name, out var help) ? help : name;
}
