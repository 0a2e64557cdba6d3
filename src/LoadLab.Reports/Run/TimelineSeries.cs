using LoadLab.Results;

namespace LoadLab.Reports.Run;

/// <summary>One (possibly downsampled) point of a scenario's timeline.</summary>
internal sealed record TimelineBucket(
    double T,
    double Seconds,
    long Ok,
    long Fail,
    double TargetRate,
    int Concurrency,
    double P50,
    double P95,
    double P99,
    double ServiceP50,
    double ServiceP95,
    IReadOnlyDictionary<string, long> Errors)
{
    /// <summary>Gets the completed iterations per second in this bucket.</summary>
    public double AchievedRate => Seconds <= 0 ? 0 : (Ok + Fail) / Seconds;

    /// <summary>Gets the failed iterations per second in this bucket.</summary>
    public double FailRate => Seconds <= 0 ? 0 : Fail / Seconds;
}

/// <summary>
/// Groups the 1-second timeline by scenario and downsamples long runs so that a report stays
/// small: a 10-minute run keeps every second, longer runs merge neighbouring seconds.
/// </summary>
internal static class TimelineSeries
{
    /// <summary>The most points a chart line gets.</summary>
    public const int MaxPoints = 600;

    public static IReadOnlyDictionary<string, IReadOnlyList<TimelineBucket>> ByScenario(RunResult result, int maxPoints = MaxPoints)
    {
        var map = new Dictionary<string, IReadOnlyList<TimelineBucket>>(StringComparer.Ordinal);
        foreach (var group in result.Timeline.GroupBy(p => p.Scenario, StringComparer.Ordinal))
        {
            var points = group.OrderBy(p => p.T).ToList();
            map[group.Key] = Downsample(points, maxPoints);
        }

        return map;
    }

    /// <summary>
    /// Merges runs of neighbouring points. Counts add up; rates and medians average; the upper
    /// percentiles and concurrency keep the worst second, so that a spike never disappears.
    /// </summary>
    internal static IReadOnlyList<TimelineBucket> Downsample(IReadOnlyList<TimelinePoint> points, int maxPoints)
    {
        var size = Math.Max(1, (int)Math.Ceiling(points.Count / (double)maxPoints));
        var buckets = new List<TimelineBucket>((points.Count / size) + 1);
        for (var start = 0; start < points.Count; start += size)
        {
            var end = Math.Min(points.Count, start + size);
            var n = end - start;
            long ok = 0, fail = 0;
            double target = 0, p50 = 0, s50 = 0, p95 = 0, p99 = 0, s95 = 0;
            var conc = 0;
            var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var i = start; i < end; i++)
            {
                var p = points[i];
                ok += p.Ok;
                fail += p.Fail;
                target += p.TargetRate;
                p50 += p.P50;
                s50 += p.ServiceP50;
                p95 = Math.Max(p95, p.P95);
                p99 = Math.Max(p99, p.P99);
                s95 = Math.Max(s95, p.ServiceP95);
                conc = Math.Max(conc, p.Concurrency);
                if (p.Errors is not null)
                {
                    foreach (var (kind, count) in p.Errors)
                    {
                        errors[kind] = errors.GetValueOrDefault(kind) + count;
                    }
                }
            }

            buckets.Add(new TimelineBucket(points[end - 1].T, n, ok, fail, target / n, conc, p50 / n, p95, p99, s50 / n, s95, errors));
        }

        return buckets;
    }
}
