using LoadLab.Engine.Simulations;
using LoadLab.Engine.Thresholds;

namespace LoadLab.Engine.Scenarios;

/// <summary>A scenario: a name, an iteration function and how to load it. Immutable; the With methods return copies.</summary>
public sealed record ScenarioProps
{
    internal ScenarioProps(string name, Func<IScenarioContext, Task<Response>> run)
    {
        Name = name;
        Run = run;
    }

    /// <summary>Gets the name.</summary>
    public string Name { get; init; }

    /// <summary>Gets the iteration function.</summary>
    public Func<IScenarioContext, Task<Response>> Run { get; init; }

    /// <summary>Gets the init function, run once before load.</summary>
    public Func<IScenarioInitContext, Task>? Init { get; init; }

    /// <summary>Gets the clean function, run once after load (also after an abort).</summary>
    public Func<IScenarioInitContext, Task>? Clean { get; init; }

    /// <summary>Gets the warm-up: the start of the load, run before measuring and not reported.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Gets the load simulations, in order.</summary>
    public IReadOnlyList<LoadSimulation> Simulations { get; init; } = [];

    /// <summary>Gets the cap of iterations in flight in the open model (0 = no cap); over it, iterations start late.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Gets the pacing of the closed model: each virtual user starts at most one iteration per interval.</summary>
    public TimeSpan Pacing { get; init; }

    /// <summary>Gets the thresholds.</summary>
    public IReadOnlyList<ThresholdSpec> Thresholds { get; init; } = [];

    /// <summary>Gets how long in-flight iterations may take to finish after the load ends.</summary>
    public TimeSpan GracefulStop { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the seed (null = derived from the run seed).</summary>
    public int? Seed { get; init; }

    /// <summary>Sets the init function.</summary>
    /// <param name="init">The function.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithInit(Func<IScenarioInitContext, Task> init) => this with { Init = init };

    /// <summary>Sets the clean function.</summary>
    /// <param name="clean">The function.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithClean(Func<IScenarioInitContext, Task> clean) => this with { Clean = clean };

    /// <summary>Sets the warm-up duration.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithWarmUpDuration(TimeSpan duration) => this with { WarmUp = duration };

    /// <summary>Turns the warm-up off.</summary>
    /// <returns>A copy.</returns>
    public ScenarioProps WithoutWarmUp() => this with { WarmUp = TimeSpan.Zero };

    /// <summary>Sets the load simulations.</summary>
    /// <param name="simulations">The simulations, in order.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations) => this with { Simulations = simulations };

    /// <summary>Sets the cap of iterations in flight (open model).</summary>
    /// <param name="max">The cap; 0 for none.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithMaxConcurrency(int max) => this with { MaxConcurrency = max };

    /// <summary>Sets closed-model pacing.</summary>
    /// <param name="pacing">The interval.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithPacing(TimeSpan pacing) => this with { Pacing = pacing };

    /// <summary>Sets the thresholds.</summary>
    /// <param name="thresholds">The thresholds.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithThresholds(params ThresholdSpec[] thresholds) => this with { Thresholds = thresholds };

    /// <summary>Sets the seed.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>A copy.</returns>
    public ScenarioProps WithSeed(int seed) => this with { Seed = seed };

    /// <summary>Validates the scenario and returns every problem found.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("'name' must not be empty.");
        }

        if (Simulations.Count == 0)
        {
            errors.Add("'load' must list at least one load simulation.");
        }

        for (var i = 0; i < Simulations.Count; i++)
        {
            foreach (var e in Simulations[i].Validate())
            {
                errors.Add($"load[{i}].{Simulations[i].Kind}: {e}");
            }
        }

        if (MaxConcurrency < 0)
        {
            errors.Add($"'max_concurrency' must be 0 (no cap) or more (got {MaxConcurrency}).");
        }

        if (WarmUp < TimeSpan.Zero)
        {
            errors.Add($"'warm_up' must not be negative (got {WarmUp}).");
        }

        if (Pacing < TimeSpan.Zero)
        {
            errors.Add($"'pacing' must not be negative (got {Pacing}).");
        }

        return errors;
    }
}

/// <summary>Creates scenarios (NBomber's <c>Scenario.Create</c>).</summary>
public static class Scenario
{
    /// <summary>Creates a scenario.</summary>
    /// <param name="name">The name (snake_case by convention).</param>
    /// <param name="run">The iteration.</param>
    /// <returns>The scenario.</returns>
    public static ScenarioProps Create(string name, Func<IScenarioContext, Task<Response>> run)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(run);
        return new ScenarioProps(name, run);
    }

    /// <summary>
    /// Creates a scenario whose every iteration runs one of several flows, chosen by weight with the
    /// iteration's random (e.g. 70% browse, 20% login, 10% pay). Steps keep their flows' names.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="flows">Weights and flows.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ArgumentException">No flow, or a weight that is not positive.</exception>
    public static ScenarioProps CreateWeighted(string name, params (double Weight, Func<IScenarioContext, Task<Response>> Run)[] flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        if (flows.Length == 0 || flows.Any(f => !(f.Weight > 0)))
        {
            throw new ArgumentException("A weighted scenario needs at least one flow, each with a weight above 0.", nameof(flows));
        }

        var total = flows.Sum(f => f.Weight);
        var cumulative = new double[flows.Length];
        double acc = 0;
        for (var i = 0; i < flows.Length; i++)
        {
            acc += flows[i].Weight / total;
            cumulative[i] = acc;
        }

        return Create(name, ctx =>
        {
            var x = ctx.Random.NextDouble();
            var i = Array.FindIndex(cumulative, c => x < c);
            return flows[i < 0 ? flows.Length - 1 : i].Run(ctx);
        });
    }
}
