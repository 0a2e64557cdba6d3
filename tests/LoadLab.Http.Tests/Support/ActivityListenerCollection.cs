namespace LoadLab.Http.Tests.Support;

/// <summary>
/// Activity listeners are process-wide: tests that add them (or rely on there being none for a source)
/// run in this collection, alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ActivityListenerCollection
{
    public const string Name = "activity listeners";
}
