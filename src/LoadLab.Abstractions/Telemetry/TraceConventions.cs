namespace LoadLab.Telemetry;

/// <summary>
/// How the engine names its activities (spans), so that the OTLP sink and the HTTP layer agree.
/// An iteration is a root span, each step a child, each HTTP request a client span below its step.
/// </summary>
public static class TraceConventions
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name of the engine.</summary>
    public const string ActivitySourceName = "LoadLab";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name of the HTTP layer.</summary>
    public const string HttpActivitySourceName = "LoadLab.Http";

    /// <summary>The service.name resource attribute of the harness.</summary>
    public const string ServiceName = "loadlab";

    /// <summary>Span attribute: the scenario.</summary>
    public const string ScenarioTag = "loadlab.scenario";

    /// <summary>Span attribute: the step.</summary>
    public const string StepTag = "loadlab.step";

    /// <summary>Span attribute: the run id.</summary>
    public const string RunIdTag = "loadlab.run_id";

    /// <summary>Span attribute: the iteration number.</summary>
    public const string IterationTag = "loadlab.iteration";

    /// <summary>Span attribute: the virtual user.</summary>
    public const string VirtualUserTag = "loadlab.vu";

    /// <summary>Span attribute: ok or fail.</summary>
    public const string StatusTag = "loadlab.status";

    /// <summary>Span attribute: the error kind of a failed iteration or step.</summary>
    public const string ErrorKindTag = "loadlab.error_kind";

    /// <summary>Span attribute: response time (from the intended start) in seconds.</summary>
    public const string ResponseTimeTag = "loadlab.response_time_s";

    /// <summary>Span attribute: how late the iteration started, in seconds.</summary>
    public const string LatenessTag = "loadlab.lateness_s";
}
