namespace LoadLab.Targets.Simulation;

/// <summary>A seeded <see cref="Random"/> that many requests may draw from at once.</summary>
internal sealed class SharedRandom
{
    private readonly Random _random;
    private readonly Lock _lock = new();

    public SharedRandom(int? seed) => _random = seed is { } s ? new Random(s) : new Random();

    public double NextDouble()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public double NextGaussian()
    {
        lock (_lock)
        {
            // 1 - NextDouble() is in (0, 1], so the logarithm is finite.
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
