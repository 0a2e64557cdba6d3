namespace LoadLab.Targets.Simulation;

/// <summary>
/// The simulated baseline latency of each endpoint (a few ms, lognormal with p99 = 3 x median),
/// so that a latency regression has something to scale and a dashboard has a realistic shape.
/// </summary>
internal sealed class EndpointLatency
{
    /// <summary>Built-in medians by route template (docs/targets.md lists them).</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Defaults = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["/health"] = TimeSpan.Zero,
        ["/metrics"] = TimeSpan.Zero,
        ["/v1/items"] = TimeSpan.FromMilliseconds(4),
        ["/v1/items/{id}"] = TimeSpan.FromMilliseconds(2),
        ["/v1/login"] = TimeSpan.FromMilliseconds(8),
        ["/v1/me"] = TimeSpan.FromMilliseconds(1),
        ["/v1/payments"] = TimeSpan.FromMilliseconds(3),
        ["/v1/payments/{id}"] = TimeSpan.FromMilliseconds(2),
        ["/v1/payments/{id}/capture"] = TimeSpan.FromMilliseconds(3),
        ["/v1/payments/{id}/refunds"] = TimeSpan.FromMilliseconds(3),
    };

    private readonly Dictionary<string, LognormalLatency> _byRoute = new(StringComparer.Ordinal);
    private readonly SharedRandom _random;
    private readonly TimeProvider _timeProvider;

    public EndpointLatency(TargetOptions options, SharedRandom random)
    {
        _random = random;
        _timeProvider = options.TimeProvider;
        foreach (var (route, median) in Defaults)
        {
            Add(route, median * options.LatencyScale);
        }

        foreach (var (route, median) in options.EndpointLatencies)
        {
            Add(route, median * options.LatencyScale);
        }
    }

    public TimeSpan MedianOf(string route) => _byRoute.TryGetValue(route, out var latency) ? latency.Median : TimeSpan.Zero;

    /// <summary>Waits for the simulated work of one request on <paramref name="route"/>.</summary>
    public Task SimulateAsync(string route, CancellationToken cancellationToken)
    {
        if (!_byRoute.TryGetValue(route, out var latency))
        {
            return Task.CompletedTask;
        }

        var delay = latency.Sample(_random);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _timeProvider, cancellationToken);
    }

    private void Add(string route, TimeSpan median) => _byRoute[route] = new LognormalLatency(median, median * 3);
}
