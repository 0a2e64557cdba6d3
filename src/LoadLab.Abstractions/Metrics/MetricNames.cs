namespace LoadLab.Metrics;

/// <summary>
/// The metric contract (DESIGN.md, docs/metrics.md): names, label names and label values that
/// dashboards, rules and gates rely on. A test holds this class and the engine to docs/metrics.md.
/// </summary>
public static class MetricNames
{
    /// <summary>Iterations, by <c>status</c> ok|fail.</summary>
    public const string Iterations = "loadlab_iterations_total";

    /// <summary>Step requests, by <c>step</c> and <c>status</c>.</summary>
    public const string Requests = "loadlab_requests_total";

    /// <summary>Errors, by <c>step</c> and <c>kind</c>.</summary>
    public const string Errors = "loadlab_errors_total";

    /// <summary>Response time from the intended start (histogram, seconds).</summary>
    public const string ResponseTime = "loadlab_response_time_seconds";

    /// <summary>Service time from the actual start (histogram, seconds).</summary>
    public const string ServiceTime = "loadlab_service_time_seconds";

    /// <summary>Checks, by <c>check</c> and <c>result</c> pass|fail.</summary>
    public const string Checks = "loadlab_checks_total";

    /// <summary>Whether a threshold holds now (0/1), by <c>threshold</c>.</summary>
    public const string ThresholdPassed = "loadlab_threshold_passed";

    /// <summary>Whether the run passes (0/1).</summary>
    public const string RunPassed = "loadlab_run_passed";

    /// <summary>Iterations in flight (open model) or virtual users (closed model).</summary>
    public const string VirtualUsers = "loadlab_virtual_users";

    /// <summary>Intended arrivals per second.</summary>
    public const string TargetRate = "loadlab_target_rate";

    /// <summary>Iterations due that never started.</summary>
    public const string DroppedIterations = "loadlab_dropped_iterations_total";

    /// <summary>CPU used by the generator, as a share of the machine (0..1).</summary>
    public const string GeneratorCpu = "loadlab_generator_cpu_ratio";

    /// <summary>Whether a fault is active (0/1), by <c>fault</c> and <c>target</c>.</summary>
    public const string FaultActive = "loadlab_fault_active";

    /// <summary>Faults injected, by <c>fault</c> and <c>target</c>.</summary>
    public const string FaultsInjected = "loadlab_faults_injected_total";

    /// <summary>Business events from scenarios, by <c>event</c> and <c>outcome</c>.</summary>
    public const string BusinessEvents = "loadlab_business_events_total";

    /// <summary>The run labels every harness series carries.</summary>
    public static readonly IReadOnlyList<string> RunLabels = ["service", "environment", "release", "run_id"];

    /// <summary>Label names.</summary>
    public static class Labels
    {
        /// <summary>The service under test.</summary>
        public const string Service = "service";

        /// <summary>The environment.</summary>
        public const string Environment = "environment";

        /// <summary>The release under test.</summary>
        public const string Release = "release";

        /// <summary>The run id (may be switched off for cardinality).</summary>
        public const string RunId = "run_id";

        /// <summary>The scenario.</summary>
        public const string Scenario = "scenario";

        /// <summary>The step; absent on iteration-level series.</summary>
        public const string Step = "step";

        /// <summary>ok or fail.</summary>
        public const string Status = "status";

        /// <summary>The error kind.</summary>
        public const string Kind = "kind";

        /// <summary>The check name.</summary>
        public const string Check = "check";

        /// <summary>pass or fail.</summary>
        public const string Result = "result";

        /// <summary>The threshold expression.</summary>
        public const string Threshold = "threshold";

        /// <summary>The business event.</summary>
        public const string Event = "event";

        /// <summary>The business outcome.</summary>
        public const string Outcome = "outcome";

        /// <summary>The fault name.</summary>
        public const string Fault = "fault";

        /// <summary>Where a fault is injected.</summary>
        public const string Target = "target";

        /// <summary>The segment of a distributed run (e.g. 2/3).</summary>
        public const string Instance = "instance";
    }

    /// <summary>Error kinds (values of the <c>kind</c> label).</summary>
    public static class ErrorKinds
    {
        /// <summary>HTTP 4xx.</summary>
        public const string Http4xx = "http_4xx";

        /// <summary>HTTP 5xx.</summary>
        public const string Http5xx = "http_5xx";

        /// <summary>No answer in time.</summary>
        public const string Timeout = "timeout";

        /// <summary>Nothing listens.</summary>
        public const string ConnectionRefused = "connection_refused";

        /// <summary>The peer reset the connection.</summary>
        public const string ConnectionReset = "connection_reset";

        /// <summary>A check on the response failed.</summary>
        public const string CheckFailed = "check_failed";

        /// <summary>The scenario code threw.</summary>
        public const string Exception = "exception";

        /// <summary>Every kind, in documentation order.</summary>
        public static readonly IReadOnlyList<string> All = [Http4xx, Http5xx, Timeout, ConnectionRefused, ConnectionReset, CheckFailed, Exception];
    }
}
