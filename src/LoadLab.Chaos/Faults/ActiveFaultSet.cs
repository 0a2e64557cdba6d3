namespace LoadLab.Chaos.Faults;

/// <summary>A validated fault set and the moment it was applied (the origin of its time windows).</summary>
internal sealed class ActiveFaultSet
{
    private readonly TimeProvider _timeProvider;
    private readonly long _appliedAt;

    public ActiveFaultSet(IReadOnlyList<FaultSpec> faults, TimeProvider timeProvider)
    {
        var errors = FaultSpec.ValidateAll(faults);
        if (errors.Count > 0)
        {
            throw new FaultSpecException("The fault set is invalid.", errors);
        }

        Faults = faults;
        _timeProvider = timeProvider;
        _appliedAt = timeProvider.GetTimestamp();
    }

    public IReadOnlyList<FaultSpec> Faults { get; }

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_appliedAt);

    public bool IsActive(FaultSpec fault) => fault.Rate > 0 && (fault.Window is null || fault.Window.Contains(Elapsed));
}
