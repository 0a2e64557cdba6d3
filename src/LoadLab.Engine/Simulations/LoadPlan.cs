using LoadLab.Engine.Segments;

namespace LoadLab.Engine.Simulations;

/// <summary>
/// A scenario's simulations compiled into phases for one segment of the run. Open phases know their
/// arrival curve and where they start in the scenario's arrival numbering; closed phases know their
/// virtual user counts for this segment.
/// </summary>
internal sealed class LoadPlan
{
    private LoadPlan(IReadOnlyList<PlanPhase> phases, Segment segment)
    {
        Phases = phases;
        Segment = segment;
    }

    public IReadOnlyList<PlanPhase> Phases { get; }

    public Segment Segment { get; }

    public bool HasOpen => Phases.Any(p => p.Simulation.IsOpen);

    public bool HasClosed => Phases.Any(p => p.Simulation.IsClosed);

    /// <summary>Gets the planned length, or null when a phase ends on a count of iterations.</summary>
    public TimeSpan? PlannedDuration => Phases.Any(p => p.Simulation.Duration is null)
        ? null
        : TimeSpan.FromSeconds(Phases.Sum(p => p.Simulation.Duration!.Value.TotalSeconds));

    public static LoadPlan Build(IReadOnlyList<LoadSimulation> simulations, Segment segment, int seed)
    {
        var phases = new List<PlanPhase>(simulations.Count);
        double arrivals = 0;
        double previousRate = 0;
        var previousCopies = 0;
        for (var i = 0; i < simulations.Count; i++)
        {
            var sim = simulations[i];
            ArrivalCurve? curve = null;
            int startCopies = 0, endCopies = 0;
            long iterations = 0;
            if (sim.IsOpen)
            {
                curve = ArrivalCurve.For(sim, previousRate, unchecked(seed + (i * 7919)));
                previousRate = curve.EndRate;
                previousCopies = 0;
            }
            else if (sim is KeepConstant k)
            {
                startCopies = endCopies = segment.ShareOf(k.Copies);
                previousCopies = k.Copies;
                previousRate = 0;
            }
            else if (sim is RampingConstant r)
            {
                // Ramps are split on the whole-run numbers so that the shares add up at every instant.
                startCopies = previousCopies;
                endCopies = r.Copies;
                previousCopies = r.Copies;
                previousRate = 0;
            }
            else if (sim is IterationsForConstant c)
            {
                startCopies = endCopies = segment.ShareOf(c.Copies);
                iterations = segment.ShareOf(c.Iterations);
                previousCopies = c.Copies;
                previousRate = 0;
            }
            else
            {
                previousRate = 0;
                previousCopies = 0;
            }

            phases.Add(new PlanPhase(sim, curve, arrivals, startCopies, endCopies, iterations));
            if (curve is not null)
            {
                arrivals += curve.Total;
            }
        }

        return new LoadPlan(phases, segment);
    }

    /// <summary>Gets the number of virtual users this segment runs at phase time <paramref name="t"/>.</summary>
    public int CopiesAt(PlanPhase phase, double t)
    {
        if (phase.Simulation is RampingConstant r)
        {
            var length = r.During.TotalSeconds;
            var whole = phase.StartCopies + ((phase.EndCopies - phase.StartCopies) * Math.Clamp(t / length, 0, 1));
            return Segment.ShareOf((int)Math.Round(whole));
        }

        return phase.StartCopies;
    }

    /// <summary>Gets the intended arrivals per second of this segment at phase time <paramref name="t"/>.</summary>
    public double TargetRateAt(PlanPhase phase, double t) =>
        phase.Curve is null ? 0 : phase.Curve.RateAt(t) / Segment.Count;
}

internal sealed record PlanPhase(
    LoadSimulation Simulation,
    ArrivalCurve? Curve,
    double ArrivalsBefore,
    int StartCopies,
    int EndCopies,
    long Iterations);

/// <summary>
/// Walks the arrivals of one open phase that belong to this segment, in order. It holds only a
/// position, so memory stays constant however many arrivals a run has.
/// </summary>
internal sealed class ArrivalCursor
{
    private readonly PlanPhase _phase;
    private readonly Segment _segment;
    private long _next;
    private readonly long _end;

    public ArrivalCursor(PlanPhase phase, Segment segment)
    {
        _phase = phase;
        _segment = segment;
        var curve = phase.Curve ?? throw new ArgumentException("Not an open phase.", nameof(phase));
        // Arrival k of the scenario belongs to this phase when ArrivalsBefore <= k < ArrivalsBefore + Total.
        var first = (long)Math.Ceiling(phase.ArrivalsBefore - 1e-9);
        _end = (long)Math.Ceiling(phase.ArrivalsBefore + curve.Total - 1e-9);
        _next = segment.FirstAtOrAfter(first);
    }

    public bool HasNext => _next < _end;

    /// <summary>Gets the scenario-wide number of the next arrival.</summary>
    public long NextNumber => _next;

    /// <summary>Gets the phase time (seconds) of the next arrival.</summary>
    public double NextTime => _phase.Curve!.TimeOf(_next - _phase.ArrivalsBefore);

    public void Advance() => _next += _segment.Count;
}
