using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LoadLab.Engine.Scenarios;

/// <summary>What an iteration knows about itself (NBomber's <c>IScenarioContext</c>).</summary>
public interface IScenarioContext
{
    /// <summary>Gets the scenario name.</summary>
    string ScenarioName { get; }

    /// <summary>Gets the iteration number within the scenario (and segment), from 0.</summary>
    long IterationNumber { get; }

    /// <summary>Gets the virtual user: the loop in the closed model, the concurrency slot in the open model.</summary>
    int VirtualUserId { get; }

    /// <summary>Gets randomness for this iteration, seeded from the run seed, the scenario and the iteration, so a run can be repeated.</summary>
    Random Random { get; }

    /// <summary>Gets a seed for fakers (Bogus) derived like <see cref="Random"/>.</summary>
    int Seed { get; }

    /// <summary>Gets the logger.</summary>
    ILogger Logger { get; }

    /// <summary>Gets a token that is cancelled when the run stops.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>Gets the iteration's span, when traces are on.</summary>
    Activity? Activity { get; }

    /// <summary>Gets the business counters.</summary>
    IScenarioMetrics Metrics { get; }

    /// <summary>Gets the data the scenario's init stored (shared by all iterations).</summary>
    IDictionary<string, object> Data { get; }

    /// <summary>Records a check; returns <paramref name="passed"/> so it can be used in conditions.</summary>
    /// <param name="name">The check, e.g. "status is 201".</param>
    /// <param name="passed">Whether it passed.</param>
    /// <returns><paramref name="passed"/>.</returns>
    bool Check(string name, bool passed);
}

/// <summary>Business counters of a scenario: <c>ctx.Metrics.Count("payment", "approved")</c>.</summary>
public interface IScenarioMetrics
{
    /// <summary>Counts an event's outcome.</summary>
    /// <param name="eventName">The event, e.g. payment.</param>
    /// <param name="outcome">The outcome, e.g. approved.</param>
    /// <param name="count">How many.</param>
    void Count(string eventName, string outcome, long count = 1);
}

/// <summary>What a scenario's init and clean functions receive.</summary>
public interface IScenarioInitContext
{
    /// <summary>Gets the scenario name.</summary>
    string ScenarioName { get; }

    /// <summary>Gets the data shared with every iteration.</summary>
    IDictionary<string, object> Data { get; }

    /// <summary>Gets the logger.</summary>
    ILogger Logger { get; }

    /// <summary>Gets a token that is cancelled when the run stops.</summary>
    CancellationToken CancellationToken { get; }
}
