namespace LoadLab.Engine.Simulations;

internal static class SimulationConstants
{
    public const double MaxRatePerSecond = 1_000_000;
    public const int MaxCopies = 100_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(72);
}
