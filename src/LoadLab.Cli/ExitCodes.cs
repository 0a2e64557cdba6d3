namespace LoadLab.Cli;

/// <summary>The process exit codes (DESIGN.md, README "Exit codes"). One class, one meaning each.</summary>
public static class ExitCodes
{
    /// <summary>The run passed, the gate passed, or the command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>An internal error, or a scenario's init/clean threw (the result is still written).</summary>
    public const int InternalError = 1;

    /// <summary>Invalid input or configuration: a flag, a profile, a file.</summary>
    public const int InvalidInput = 2;

    /// <summary>The run was aborted: a threshold with abort, or Ctrl+C / SIGTERM.</summary>
    public const int Aborted = 3;

    /// <summary>Thresholds or a gate failed; a comparison found a regression.</summary>
    public const int Failed = 4;

    /// <summary>A comparison was marginal.</summary>
    public const int Marginal = 5;

    /// <summary>Telemetry could not be delivered and <c>--strict-telemetry</c> was set.</summary>
    public const int TelemetryFailed = 6;
}
