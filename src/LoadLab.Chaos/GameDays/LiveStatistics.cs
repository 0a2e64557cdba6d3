using LoadLab.Engine.Running;

namespace LoadLab.Chaos.GameDays;

/// <summary>
/// The run's own statistics over a sliding window, fed by the engine's snapshots (one a second):
/// error rate and throughput from the counters, p95 as the highest one-second p95 in the window (conservative).
/// </summary>
public sealed class LiveStatistics : IRunObserver
{
    private readonly Lock _lock = new();
    private readonly IRunObserver? _next;
    private readonly List<RunProgress> _points = [];

    /// <summary>Initializes a new instance.</summary>
    /// <param name="next">Another observer to pass every snapshot on to (the console live view).</param>
    public LiveStatistics(IRunObserver? next = null) => _next = next;

    /// <summary>Gets the elapsed time of the latest snapshot (negative during warm-up), or null before the first.</summary>
    public TimeSpan? Elapsed
    {
        get
        {
            lock (_lock)
            {
                return _points.Count == 0 ? null : _points[^1].Elapsed;
            }
        }
    }

    /// <inheritdoc/>
    public void OnProgress(RunProgress progress)
    {
        lock (_lock)
        {
            _points.Add(progress);

            // Keep about an hour of one-second snapshots: memory stays bounded however long the day.
            if (_points.Count > 4_000)
            {
                _points.RemoveRange(0, 1_000);
            }
        }

        _next?.OnProgress(progress);
    }

    /// <summary>Computes a statistic over the last <paramref name="window"/>.</summary>
    /// <param name="statistic">error_rate, p95 or rps.</param>
    /// <param name="scenario">A scenario, or null for all.</param>
    /// <param name="window">The window.</param>
    /// <returns>The value, or null when the window holds no completed iteration.</returns>
    public double? Get(string statistic, string? scenario, TimeSpan window)
    {
        lock (_lock)
        {
            if (_points.Count == 0)
            {
                return null;
            }

            var last = _points[^1];
            var from = last.Elapsed - window;
            var baseline = _points.LastOrDefault(p => p.Elapsed <= from);
            var inWindow = _points.Where(p => p.Elapsed > from).ToList();
            (long Ok, long Fail) Totals(RunProgress? p) => p is null
                ? (0, 0)
                : (p.Scenarios.Where(s => scenario is null || s.Name == scenario).Sum(s => s.Ok), p.Scenarios.Where(s => scenario is null || s.Name == scenario).Sum(s => s.Fail));
            var (okNow, failNow) = Totals(last);
            var (okBefore, failBefore) = Totals(baseline);
            var ok = okNow - okBefore;
            var fail = failNow - failBefore;
            var seconds = Math.Max((last.Elapsed - (baseline?.Elapsed ?? inWindow[0].Elapsed - TimeSpan.FromSeconds(1))).TotalSeconds, 1e-3);
            return statistic switch
            {
                "error_rate" => ok + fail == 0 ? null : (double)fail / (ok + fail),
                "rps" => (ok + fail) / seconds,
                _ => ok + fail == 0 ? null : inWindow.SelectMany(p => p.Scenarios).Where(s => (scenario is null || s.Name == scenario) && s.Rate > 0).Select(s => (double?)s.P95).Max(),
            };
        }
    }
}
