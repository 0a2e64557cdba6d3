using System.Collections.Concurrent;
using System.Diagnostics;
using LoadLab.Engine.Scenarios;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LoadLab.Http.Tests.Support;

/// <summary>An iteration context that records checks and business counts.</summary>
internal sealed class TestContext : IScenarioContext, IScenarioMetrics
{
    public ConcurrentQueue<(string Name, bool Passed)> Checks { get; } = new();

    public ConcurrentDictionary<(string Event, string Outcome), long> Counts { get; } = new();

    public string ScenarioName => "test";

    public long IterationNumber { get; init; }

    public int VirtualUserId => 0;

    public Random Random { get; } = new(1);

    public int Seed => 1;

    public ILogger Logger => NullLogger.Instance;

    public CancellationToken CancellationToken { get; init; }

    public Activity? Activity => null;

    public IScenarioMetrics Metrics => this;

    public IDictionary<string, object> Data { get; } = new Dictionary<string, object>();

    public bool Check(string name, bool passed)
    {
        Checks.Enqueue((name, passed));
        return passed;
    }

    public void Count(string eventName, string outcome, long count = 1) => Counts.AddOrUpdate((eventName, outcome), count, (_, c) => c + count);
}
