namespace LoadLab.Targets.Simulation;

/// <summary>
/// A lognormal latency given by its median and 99th percentile, the usual shape of service and
/// dependency latencies (a long right tail). sigma = ln(p99 / median) / z(0.99).
/// </summary>
internal sealed class LognormalLatency
{
    private const double Z99 = 2.3263478740408408;
    private readonly double _medianMs;
    private readonly double _sigma;
    private readonly double _capMs;

    public LognormalLatency(TimeSpan median, TimeSpan p99)
    {
        _medianMs = median.TotalMilliseconds;
        _sigma = median > TimeSpan.Zero && p99 > median ? Math.Log(p99 / median) / Z99 : 0;

        // A cap keeps one extreme draw from stalling a test: ten times the p99 is far in the tail.
        _capMs = Math.Max(p99.TotalMilliseconds, _medianMs) * 10;
    }

    public TimeSpan Median => TimeSpan.FromMilliseconds(_medianMs);

    public TimeSpan Sample(SharedRandom random)
    {
        if (_medianMs <= 0)
        {
            return TimeSpan.Zero;
        }

        var ms = _sigma == 0 ? _medianMs : _medianMs * Math.Exp(_sigma * random.NextGaussian());
        return TimeSpan.FromMilliseconds(Math.Min(ms, _capMs));
    }
}
