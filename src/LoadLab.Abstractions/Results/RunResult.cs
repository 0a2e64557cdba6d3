using System.Text.Json.Serialization;

namespace LoadLab.Results;

/// <summary>
/// The result file of one run (<c>results/&lt;run_id&gt;/result.json</c>). Times are in seconds,
/// rates per second. Its JSON schema is docs/result.schema.json; CI jobs and other tools rely on
/// the stable core listed there.
/// </summary>
public sealed class RunResult
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Gets or sets the schema version.</summary>
    /// <value>Defaults to <see cref="CurrentSchemaVersion"/>.</value>
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Gets or sets the run id (shared by all segments of a distributed run).</summary>
    public string RunId { get; set; } = "";

    /// <summary>Gets or sets the status: passed, failed, aborted or interrupted (see <see cref="RunStatus"/>).</summary>
    public string Status { get; set; } = RunStatus.Passed;

    /// <summary>Gets or sets why the run failed, was aborted or interrupted, when it did.</summary>
    public string? Error { get; set; }

    /// <summary>Gets or sets the profile name.</summary>
    public string Profile { get; set; } = "";

    /// <summary>Gets or sets the run labels: service, environment, release, and any other the profile sets.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the git commit of the working directory, when known.</summary>
    public string? GitCommit { get; set; }

    /// <summary>Gets or sets which share of a distributed run this is.</summary>
    public SegmentInfo Segment { get; set; } = new();

    /// <summary>Gets or sets the start of the measured part of the run (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Gets or sets the end of the run (UTC).</summary>
    public DateTimeOffset EndedAt { get; set; }

    /// <summary>Gets or sets the measured duration in seconds (warm-up excluded).</summary>
    public double DurationSeconds { get; set; }

    /// <summary>Gets or sets the machine that generated the load.</summary>
    public MachineInfo Machine { get; set; } = new();

    /// <summary>Gets or sets the per-scenario results.</summary>
    public List<ScenarioResult> Scenarios { get; set; } = [];

    /// <summary>Gets or sets the threshold verdicts.</summary>
    public List<ThresholdResult> Thresholds { get; set; } = [];

    /// <summary>Gets or sets the windows in which faults were active.</summary>
    public List<FaultWindow> Faults { get; set; } = [];

    /// <summary>Gets or sets what happened to the telemetry.</summary>
    public TelemetryReport Telemetry { get; set; } = new();

    /// <summary>Gets or sets the health of the load generator itself.</summary>
    public GeneratorHealth Generator { get; set; } = new();

    /// <summary>Gets or sets the 1-second timeline, one point per scenario and second.</summary>
    public List<TimelinePoint> Timeline { get; set; } = [];
}

/// <summary>The values of <see cref="RunResult.Status"/>.</summary>
public static class RunStatus
{
    /// <summary>Every threshold held.</summary>
    public const string Passed = "passed";

    /// <summary>A threshold failed, or a scenario could not run.</summary>
    public const string Failed = "failed";

    /// <summary>A threshold with <c>abort: true</c> stopped the run.</summary>
    public const string Aborted = "aborted";

    /// <summary>Ctrl+C or SIGTERM stopped the run; the result is partial.</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>Which share of a distributed run a result holds.</summary>
public sealed class SegmentInfo
{
    /// <summary>Gets or sets the 1-based index of the share.</summary>
    /// <value>Defaults to 1.</value>
    public int Index { get; set; } = 1;

    /// <summary>Gets or sets the number of shares.</summary>
    /// <value>Defaults to 1.</value>
    public int Count { get; set; } = 1;

    /// <summary>Gets or sets the segments that a merged result was made of, if it was merged.</summary>
    public List<int>? Merged { get; set; }
}

/// <summary>The machine that generated the load.</summary>
public sealed class MachineInfo
{
    /// <summary>Gets or sets the host name.</summary>
    public string Host { get; set; } = "";

    /// <summary>Gets or sets the number of logical cores.</summary>
    public int Cores { get; set; }

    /// <summary>Gets or sets the operating system description.</summary>
    public string Os { get; set; } = "";

    /// <summary>Gets or sets the .NET runtime description.</summary>
    public string Dotnet { get; set; } = "";

    /// <summary>Gets or sets the LoadLab version.</summary>
    public string LoadLab { get; set; } = "";
}

/// <summary>The result of one scenario.</summary>
public sealed class ScenarioResult
{
    /// <summary>Gets or sets the scenario name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the load model: open or closed.</summary>
    public string Model { get; set; } = "open";

    /// <summary>Gets or sets the measured duration of the scenario in seconds.</summary>
    public double DurationSeconds { get; set; }

    /// <summary>Gets or sets the iteration counts.</summary>
    public IterationCounts Iterations { get; set; } = new();

    /// <summary>Gets or sets the intended and achieved iteration rates.</summary>
    public RateInfo Rate { get; set; } = new();

    /// <summary>Gets or sets the response time of successful iterations (from the intended start).</summary>
    public LatencySummary ResponseTime { get; set; } = new();

    /// <summary>Gets or sets the service time of successful iterations (from the actual start).</summary>
    public LatencySummary ServiceTime { get; set; } = new();

    /// <summary>Gets or sets the response time of failed iterations.</summary>
    public LatencySummary FailResponseTime { get; set; } = new();

    /// <summary>Gets or sets the steps.</summary>
    public List<StepResult> Steps { get; set; } = [];

    /// <summary>Gets or sets the errors of the whole iteration by kind (http_5xx, timeout, exception, ...).</summary>
    public Dictionary<string, long> Errors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the checks by name.</summary>
    public Dictionary<string, CheckCounts> Checks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the business counters: event, then outcome, then count.</summary>
    public Dictionary<string, Dictionary<string, long>> Business { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the largest number of iterations in flight at once.</summary>
    public int MaxConcurrency { get; set; }
}

/// <summary>Iteration counts.</summary>
public sealed class IterationCounts
{
    /// <summary>Gets or sets the successful iterations.</summary>
    public long Ok { get; set; }

    /// <summary>Gets or sets the failed iterations.</summary>
    public long Fail { get; set; }

    /// <summary>Gets or sets the iterations that were due but never started before the run ended.</summary>
    public long Dropped { get; set; }
}

/// <summary>Intended and achieved rates.</summary>
public sealed class RateInfo
{
    /// <summary>Gets or sets the intended arrivals per second (open model), or 0 in the closed model.</summary>
    public double Target { get; set; }

    /// <summary>Gets or sets the completed iterations per second.</summary>
    public double Achieved { get; set; }
}

/// <summary>A latency distribution: summary statistics in seconds and the HdrHistogram (microseconds).</summary>
public sealed class LatencySummary
{
    /// <summary>Gets or sets the number of values.</summary>
    public long Count { get; set; }

    /// <summary>Gets or sets the minimum.</summary>
    public double Min { get; set; }

    /// <summary>Gets or sets the mean.</summary>
    public double Mean { get; set; }

    /// <summary>Gets or sets the median.</summary>
    public double P50 { get; set; }

    /// <summary>Gets or sets the 75th percentile.</summary>
    public double P75 { get; set; }

    /// <summary>Gets or sets the 90th percentile.</summary>
    public double P90 { get; set; }

    /// <summary>Gets or sets the 95th percentile.</summary>
    public double P95 { get; set; }

    /// <summary>Gets or sets the 99th percentile.</summary>
    public double P99 { get; set; }

    /// <summary>Gets or sets the 99.9th percentile.</summary>
    public double P999 { get; set; }

    /// <summary>Gets or sets the maximum.</summary>
    public double Max { get; set; }

    /// <summary>Gets or sets the HdrHistogram (V2 compressed, base64) of the values in microseconds.</summary>
    public string Histogram { get; set; } = "";
}

/// <summary>The result of one step of a scenario.</summary>
public sealed class StepResult
{
    /// <summary>Gets or sets the step name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the request counts.</summary>
    public RequestCounts Requests { get; set; } = new();

    /// <summary>Gets or sets the response time of successful requests.</summary>
    public LatencySummary ResponseTime { get; set; } = new();

    /// <summary>Gets or sets the service time of successful requests.</summary>
    public LatencySummary ServiceTime { get; set; } = new();

    /// <summary>Gets or sets the response time of failed requests.</summary>
    public LatencySummary FailResponseTime { get; set; } = new();

    /// <summary>Gets or sets the errors by kind: http_4xx, http_5xx, timeout, connection_refused, connection_reset, check_failed, exception.</summary>
    public Dictionary<string, long> Errors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the responses by status code.</summary>
    public Dictionary<string, long> StatusCodes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the bytes sent and received.</summary>
    public ByteCounts Bytes { get; set; } = new();
}

/// <summary>Request counts.</summary>
public sealed class RequestCounts
{
    /// <summary>Gets or sets the successful requests.</summary>
    public long Ok { get; set; }

    /// <summary>Gets or sets the failed requests.</summary>
    public long Fail { get; set; }
}

/// <summary>Bytes sent and received.</summary>
public sealed class ByteCounts
{
    /// <summary>Gets or sets the bytes sent.</summary>
    public long Sent { get; set; }

    /// <summary>Gets or sets the bytes received.</summary>
    public long Received { get; set; }
}

/// <summary>Check outcomes.</summary>
public sealed class CheckCounts
{
    /// <summary>Gets or sets how often the check passed.</summary>
    public long Pass { get; set; }

    /// <summary>Gets or sets how often the check failed.</summary>
    public long Fail { get; set; }
}

/// <summary>The verdict on one threshold.</summary>
public sealed class ThresholdResult
{
    /// <summary>Gets or sets the scenario the threshold belongs to.</summary>
    public string Scenario { get; set; } = "";

    /// <summary>Gets or sets the expression, as written.</summary>
    public string Expr { get; set; } = "";

    /// <summary>Gets or sets the window in seconds, or null for the whole run.</summary>
    public double? Window { get; set; }

    /// <summary>Gets or sets a value indicating whether the threshold aborts the run when it fails.</summary>
    public bool Abort { get; set; }

    /// <summary>Gets or sets a value indicating whether the threshold held.</summary>
    public bool Passed { get; set; }

    /// <summary>Gets or sets the measured value (seconds for latencies, a ratio for rates), or null without data.</summary>
    public double? Value { get; set; }

    /// <summary>Gets or sets the bound it was compared with (same unit as the value).</summary>
    public double Bound { get; set; }

    /// <summary>Gets or sets the seconds into the run when a windowed threshold first failed, if it did.</summary>
    public double? FailedAt { get; set; }
}

/// <summary>A window in which a fault was active.</summary>
public sealed class FaultWindow
{
    /// <summary>Gets or sets the fault name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets where it was injected (a proxy, the client, a service).</summary>
    public string Target { get; set; } = "";

    /// <summary>Gets or sets the fault kind: latency, status, abort, hang, outcome.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Gets or sets the start (UTC).</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>Gets or sets the end (UTC), or null if it was still active when the run ended.</summary>
    public DateTimeOffset? End { get; set; }

    /// <summary>Gets or sets how many requests it affected, when known.</summary>
    public long? Injected { get; set; }
}

/// <summary>What happened to the telemetry of a run.</summary>
public sealed class TelemetryReport
{
    /// <summary>Gets or sets one entry per sink.</summary>
    public List<SinkReport> Sinks { get; set; } = [];
}

/// <summary>What a telemetry sink delivered.</summary>
public sealed class SinkReport
{
    /// <summary>Gets or sets the sink name (prometheus, pushgateway, prometheus-rw, otlp).</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets where it sent data (no credentials).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets a value indicating whether everything was delivered.</summary>
    public bool Delivered { get; set; } = true;

    /// <summary>Gets or sets how many deliveries failed.</summary>
    public long Errors { get; set; }

    /// <summary>Gets or sets how many samples or spans were dropped and never delivered.</summary>
    public long Dropped { get; set; }

    /// <summary>Gets or sets how many samples or spans were delivered.</summary>
    public long Sent { get; set; }

    /// <summary>Gets or sets the last error, if any.</summary>
    public string? LastError { get; set; }
}

/// <summary>The health of the load generator: a run is only as good as its generator.</summary>
public sealed class GeneratorHealth
{
    /// <summary>Gets or sets the average share of the machine's CPU the process used (0..1).</summary>
    public double CpuRatio { get; set; }

    /// <summary>Gets or sets the total GC pause time in seconds.</summary>
    public double GcPauseSeconds { get; set; }

    /// <summary>Gets or sets the number of garbage collections (all generations).</summary>
    public int GcCount { get; set; }

    /// <summary>Gets or sets the iterations dropped over all scenarios.</summary>
    public long DroppedIterations { get; set; }

    /// <summary>Gets or sets how late the scheduler launched open-model iterations (seconds).</summary>
    public LatencySummary LaunchLateness { get; set; } = new();

    /// <summary>Gets or sets the peak working set in bytes.</summary>
    public long PeakWorkingSetBytes { get; set; }
}

/// <summary>One second of one scenario.</summary>
public sealed class TimelinePoint
{
    /// <summary>Gets or sets the seconds since the start of the measured run (the end of this interval).</summary>
    public double T { get; set; }

    /// <summary>Gets or sets the scenario.</summary>
    public string Scenario { get; set; } = "";

    /// <summary>Gets or sets the successful iterations that ended in this second.</summary>
    public long Ok { get; set; }

    /// <summary>Gets or sets the failed iterations that ended in this second.</summary>
    public long Fail { get; set; }

    /// <summary>Gets or sets the intended arrivals per second at this time (open model).</summary>
    public double TargetRate { get; set; }

    /// <summary>Gets or sets the iterations in flight (or virtual users) at the end of the second.</summary>
    public int Concurrency { get; set; }

    /// <summary>Gets or sets the median response time of iterations ended in this second, in seconds.</summary>
    public double P50 { get; set; }

    /// <summary>Gets or sets the 95th percentile response time, in seconds.</summary>
    public double P95 { get; set; }

    /// <summary>Gets or sets the 99th percentile response time, in seconds.</summary>
    public double P99 { get; set; }

    /// <summary>Gets or sets the median service time, in seconds.</summary>
    public double ServiceP50 { get; set; }

    /// <summary>Gets or sets the 95th percentile service time, in seconds.</summary>
    public double ServiceP95 { get; set; }

    /// <summary>Gets or sets the errors in this second by kind.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, long>? Errors { get; set; }

    /// <summary>Gets or sets the response-time HdrHistogram of this second (all iterations), for exact merging.</summary>
    public string Histogram { get; set; } = "";
}
