namespace LoadLab.Engine.Simulations;

/// <summary>
/// One phase of a scenario's load, in NBomber's vocabulary. Open-model phases (Inject, RampingInject,
/// InjectRandom, IterationsForInject) schedule arrivals at intended start times; closed-model phases
/// (KeepConstant, RampingConstant, IterationsForConstant) keep virtual users looping; Pause does nothing.
/// </summary>
public abstract record LoadSimulation
{
    private protected LoadSimulation()
    {
    }

    /// <summary>Gets the profile name of the simulation (snake_case, as in YAML).</summary>
    public abstract string Kind { get; }

    /// <summary>Gets a value indicating whether this is an open-model phase.</summary>
    public virtual bool IsOpen => false;

    /// <summary>Gets a value indicating whether this is a closed-model phase.</summary>
    public virtual bool IsClosed => false;

    /// <summary>Gets the planned length of the phase, or null when it ends on a count of iterations.</summary>
    public abstract TimeSpan? Duration { get; }

    internal abstract IEnumerable<string> Validate();

    internal static string Positive(string field, double value) => $"'{field}' must be greater than 0 (got {value}).";
}

/// <summary>Open model: <see cref="Rate"/> arrivals per <see cref="Interval"/>, evenly spaced, for <see cref="During"/>.</summary>
public sealed record Inject(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "inject";

    /// <inheritdoc/>
    public override bool IsOpen => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => During;

    /// <summary>Gets the rate per second.</summary>
    public double PerSecond => Rate / Interval.TotalSeconds;

    internal override IEnumerable<string> Validate() => SimulationChecks.Rate(Rate, Interval).Concat(SimulationChecks.During(During));
}

/// <summary>Open model: the rate ramps linearly from the previous phase's rate to <see cref="Rate"/> per <see cref="Interval"/>.</summary>
public sealed record RampingInject(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "ramping_inject";

    /// <inheritdoc/>
    public override bool IsOpen => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => During;

    /// <summary>Gets the target rate per second.</summary>
    public double PerSecond => Rate / Interval.TotalSeconds;

    internal override IEnumerable<string> Validate() => SimulationChecks.Rate(Rate, Interval, allowZero: true).Concat(SimulationChecks.During(During));
}

/// <summary>Open model: every <see cref="Interval"/> a random rate between <see cref="MinRate"/> and <see cref="MaxRate"/>.</summary>
public sealed record InjectRandom(double MinRate, double MaxRate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "inject_random";

    /// <inheritdoc/>
    public override bool IsOpen => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => During;

    internal override IEnumerable<string> Validate()
    {
        foreach (var e in SimulationChecks.Rate(MinRate, Interval, allowZero: true, field: "min_rate"))
        {
            yield return e;
        }

        foreach (var e in SimulationChecks.Rate(MaxRate, Interval, field: "max_rate"))
        {
            yield return e;
        }

        if (MaxRate < MinRate)
        {
            yield return $"'max_rate' ({MaxRate}) must not be less than 'min_rate' ({MinRate}).";
        }

        foreach (var e in SimulationChecks.During(During))
        {
            yield return e;
        }
    }
}

/// <summary>Open model: <see cref="Rate"/> per <see cref="Interval"/> until <see cref="Iterations"/> arrivals.</summary>
public sealed record IterationsForInject(double Rate, TimeSpan Interval, long Iterations) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "iterations_for_inject";

    /// <inheritdoc/>
    public override bool IsOpen => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => Rate > 0 && Interval > TimeSpan.Zero
        ? TimeSpan.FromSeconds(Iterations / (Rate / Interval.TotalSeconds))
        : TimeSpan.Zero;

    /// <summary>Gets the rate per second.</summary>
    public double PerSecond => Rate / Interval.TotalSeconds;

    internal override IEnumerable<string> Validate()
    {
        foreach (var e in SimulationChecks.Rate(Rate, Interval))
        {
            yield return e;
        }

        if (Iterations < 1)
        {
            yield return $"'iterations' must be at least 1 (got {Iterations}).";
        }
    }
}

/// <summary>Closed model: <see cref="Copies"/> virtual users loop for <see cref="During"/>.</summary>
public sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "keep_constant";

    /// <inheritdoc/>
    public override bool IsClosed => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => During;

    internal override IEnumerable<string> Validate() => SimulationChecks.Copies(Copies).Concat(SimulationChecks.During(During));
}

/// <summary>Closed model: the number of virtual users ramps linearly from the previous phase's to <see cref="Copies"/>.</summary>
public sealed record RampingConstant(int Copies, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "ramping_constant";

    /// <inheritdoc/>
    public override bool IsClosed => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => During;

    internal override IEnumerable<string> Validate() => SimulationChecks.Copies(Copies, allowZero: true).Concat(SimulationChecks.During(During));
}

/// <summary>Closed model: <see cref="Copies"/> virtual users share <see cref="Iterations"/> iterations.</summary>
public sealed record IterationsForConstant(int Copies, long Iterations) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "iterations_for_constant";

    /// <inheritdoc/>
    public override bool IsClosed => true;

    /// <inheritdoc/>
    public override TimeSpan? Duration => null;

    internal override IEnumerable<string> Validate()
    {
        foreach (var e in SimulationChecks.Copies(Copies))
        {
            yield return e;
        }

        if (Iterations < 1)
        {
            yield return $"'iterations' must be at least 1 (got {Iterations}).";
        }
    }
}

/// <summary>No load for <see cref="During"/>.</summary>
public sealed record Pause(TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override string Kind => "pause";

    /// <inheritdoc/>
    public override TimeSpan? Duration => During;

    internal override IEnumerable<string> Validate() => SimulationChecks.During(During);
}

internal static class SimulationChecks
{
    public static IEnumerable<string> Rate(double rate, TimeSpan interval, bool allowZero = false, string field = "rate")
    {
        if (double.IsNaN(rate) || rate < 0 || (!allowZero && rate == 0))
        {
            yield return $"'{field}' must be {(allowZero ? "0 or more" : "greater than 0")} (got {rate}).";
        }
        else if (rate / Math.Max(interval.TotalSeconds, 1e-9) > SimulationConstants.MaxRatePerSecond)
        {
            yield return $"'{field}' must be at most {SimulationConstants.MaxRatePerSecond:N0} per second (got {rate / interval.TotalSeconds:N0}).";
        }

        if (interval <= TimeSpan.Zero)
        {
            yield return $"'interval' must be greater than 0 (got {interval}).";
        }
    }

    public static IEnumerable<string> During(TimeSpan during)
    {
        if (during <= TimeSpan.Zero)
        {
            yield return $"'during' must be greater than 0 (got {during}).";
        }
        else if (during > SimulationConstants.MaxDuration)
        {
            yield return $"'during' must be at most {SimulationConstants.MaxDuration.TotalHours} hours (got {during}).";
        }
    }

    public static IEnumerable<string> Copies(int copies, bool allowZero = false)
    {
        if (copies < 0 || (!allowZero && copies == 0))
        {
            yield return $"'copies' must be {(allowZero ? "0 or more" : "at least 1")} (got {copies}).";
        }
        else if (copies > SimulationConstants.MaxCopies)
        {
            yield return $"'copies' must be at most {SimulationConstants.MaxCopies:N0} (got {copies}).";
        }
    }
}
