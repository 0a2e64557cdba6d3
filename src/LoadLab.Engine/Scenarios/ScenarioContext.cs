using System.Diagnostics;
using LoadLab.Engine.Measurement;
using LoadLab.Engine.Tracing;
using Microsoft.Extensions.Logging;

namespace LoadLab.Engine.Scenarios;

internal sealed class ScenarioContext : IScenarioContext, IScenarioMetrics
{
    private readonly ScenarioRuntime _runtime;
    private readonly ScenarioStats? _stats;
    private Random? _random;

    public ScenarioContext(ScenarioRuntime runtime, ScenarioStats? stats, long iteration, int virtualUser, long intendedTimestamp, Activity? activity, IterationTrace? deferredTrace = null)
    {
        DeferredTrace = deferredTrace;
        _runtime = runtime;
        _stats = stats;
        IterationNumber = iteration;
        VirtualUserId = virtualUser;
        PendingIntendedTimestamp = intendedTimestamp;
        Activity = activity;
    }

    public string ScenarioName => _runtime.Name;

    public long IterationNumber { get; }

    public int VirtualUserId { get; }

    // Created on first use: most scenarios never ask, and a Random costs more than a no-op iteration.
    public Random Random => _random ??= new Random(Seed);

    public int Seed => HashCode.Combine(_runtime.Seed, IterationNumber);

    public ILogger Logger => _runtime.Logger;

    public CancellationToken CancellationToken => _runtime.CancellationToken;

    public Activity? Activity { get; }

    public IScenarioMetrics Metrics => this;

    public IDictionary<string, object> Data => _runtime.Data;

    /// <summary>Gets the step stats sink, or null during warm-up (nothing is recorded then).</summary>
    internal ScenarioStats? Stats => _stats;

    /// <summary>
    /// Gets or sets the intended start the next step is measured from. The first step of an iteration
    /// carries the iteration's lateness (so a stall before it starts shows in its response time); later
    /// steps start from their own start.
    /// </summary>
    internal long PendingIntendedTimestamp { get; set; }

    internal ScenarioRuntime Runtime => _runtime;

    /// <summary>Gets the iteration's deferred child spans when it is traced but not head-sampled (see <see cref="IterationTrace"/>).</summary>
    internal IterationTrace? DeferredTrace { get; }

    public bool Check(string name, bool passed)
    {
        _stats?.Check(name, passed);
        return passed;
    }

    public void Count(string eventName, string outcome, long count = 1) => _stats?.Count(eventName, outcome, count);
}

/// <summary>What iterations of one scenario share during a run.</summary>
internal sealed class ScenarioRuntime : IScenarioInitContext
{
    public ScenarioRuntime(string name, int seed, ILogger logger, string runId, CancellationToken cancellationToken)
    {
        Name = name;
        Seed = seed;
        Logger = logger;
        CancellationToken = cancellationToken;
        RunId = runId;
    }

    public string Name { get; }

    public string ScenarioName => Name;

    public int Seed { get; }

    public ILogger Logger { get; }

    public CancellationToken CancellationToken { get; }

    public string RunId { get; }

    public IDictionary<string, object> Data { get; } = new System.Collections.Concurrent.ConcurrentDictionary<string, object>(StringComparer.Ordinal);
}
