using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Segments;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LoadLab.Engine.Running;

/// <summary>Everything a run needs: scenarios, labels, sinks, and who watches it.</summary>
public sealed class RunOptions
{
    /// <summary>Gets or sets the run id.</summary>
    /// <value>Defaults to a new id: UTC time plus random suffix.</value>
    public string RunId { get; set; } = NewRunId(TimeProvider.System);

    /// <summary>Gets or sets the profile name.</summary>
    public string Profile { get; set; } = "adhoc";

    /// <summary>Gets or sets the run labels: service, environment, release and any others.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the scenarios.</summary>
    public IReadOnlyList<ScenarioProps> Scenarios { get; set; } = [];

    /// <summary>Gets or sets the telemetry sinks.</summary>
    public IReadOnlyList<ITelemetrySink> Sinks { get; set; } = [];

    /// <summary>Gets or sets the share of the load this process runs.</summary>
    public Segment Segment { get; set; } = Segment.Whole;

    /// <summary>Gets or sets the run seed; scenarios derive theirs from it.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets a value indicating whether series carry the run_id label.</summary>
    public bool RunIdLabel { get; set; } = true;

    /// <summary>Gets or sets the snapshot interval (timeline resolution and publishing cadence).</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets who is told about progress.</summary>
    public IRunObserver? Observer { get; set; }

    /// <summary>Gets or sets the clock (wall-clock times; latency uses Stopwatch timestamps).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Gets or sets the git commit, when known.</summary>
    public string? GitCommit { get; set; }

    /// <summary>Creates a run id: yyyyMMdd-HHmmss and a random suffix.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The id.</returns>
    public static string NewRunId(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return $"{timeProvider.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
    }
}

/// <summary>Receives a run's progress once per snapshot (console live view, tests).</summary>
public interface IRunObserver
{
    /// <summary>Called once per snapshot, from a background thread.</summary>
    /// <param name="progress">The state of the run.</param>
    void OnProgress(RunProgress progress);
}

/// <summary>The state of a run at one snapshot.</summary>
/// <param name="Elapsed">Time since measuring began (negative during warm-up).</param>
/// <param name="Planned">The planned measured duration, when known.</param>
/// <param name="Scenarios">Per scenario.</param>
public sealed record RunProgress(TimeSpan Elapsed, TimeSpan? Planned, IReadOnlyList<ScenarioProgress> Scenarios);

/// <summary>The state of one scenario at one snapshot.</summary>
/// <param name="Name">The scenario.</param>
/// <param name="WarmingUp">Whether it is still warming up.</param>
/// <param name="TargetRate">Intended arrivals per second now (open model).</param>
/// <param name="Rate">Completed iterations per second over the last interval.</param>
/// <param name="P95">The 95th percentile response time over the last interval, in seconds.</param>
/// <param name="Ok">Successful iterations so far.</param>
/// <param name="Fail">Failed iterations so far.</param>
/// <param name="Concurrency">Iterations in flight or virtual users.</param>
/// <param name="Dropped">Dropped iterations so far.</param>
/// <param name="Finished">Whether its load is over.</param>
public sealed record ScenarioProgress(string Name, bool WarmingUp, double TargetRate, double Rate, double P95, long Ok, long Fail, int Concurrency, long Dropped, bool Finished);
