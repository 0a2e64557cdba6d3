using System.Globalization;
using System.Text.RegularExpressions;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Statistics;
using LoadLab.Metrics;

namespace LoadLab.Compare.Prometheus;

/// <summary>
/// Builds <see cref="RunData"/> from the harness series stored in Prometheus: the exact increase over a
/// range of the response-time histogram buckets (by scenario, step, le) and of the iteration,
/// request, dropped-iteration, check and business counters, for one label selector. The buckets
/// become tie groups for the same rank statistics as HdrHistograms.
/// </summary>
/// <remarks>
/// The increase is computed here from the raw samples, not with PromQL <c>increase()</c>: a run's series
/// are born with the run, so their first sample already holds the first interval's counts, which
/// <c>increase()</c> never counts, and <c>increase()</c> extrapolates to the edges of the range. Either
/// way the counts would not be the run's counts (a real 12-second run showed 3.6% too many).
/// </remarks>
public static partial class PrometheusRunSource
{
    private static readonly TimeSpan s_maxRange = TimeSpan.FromDays(365 * 100);

    /// <summary>Loads a run.</summary>
    /// <param name="client">The client.</param>
    /// <param name="selector">Label matchers, e.g. <c>release="1.4.2"</c> (braces optional).</param>
    /// <param name="range">The range, a PromQL duration such as 1h.</param>
    /// <param name="latency">response_time or service_time.</param>
    /// <param name="time">The evaluation time; now when null.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>The run data.</returns>
    /// <exception cref="CompareInputException">A bad selector or range, or no data for the selector.</exception>
    /// <exception cref="PrometheusQueryException">Prometheus is unreachable or rejected a query.</exception>
    public static async Task<RunData> LoadAsync(PrometheusClient client, string selector, string range, string latency, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var matchers = NormalizeSelector(selector);
        var span = ParseDuration(range);
        var histogram = latency == "service_time" ? MetricNames.ServiceTime : MetricNames.ResponseTime;

        // One evaluation time for every query: Prometheus's own clock unless given.
        var at = time ?? await client.GetTimeAsync(cancellationToken).ConfigureAwait(false);
        Task<IReadOnlyList<PrometheusSample>> Totals(string metric, string[] by, string extra = "") =>
            IncreaseAsync(client, $"{metric}{{{matchers}{extra}}}", range, span, by, at, cancellationToken);

        var buckets = await Totals(histogram + "_bucket", ["scenario", "step", "le"], ", status!=\"fail\"").ConfigureAwait(false);
        var iterations = await Totals(MetricNames.Iterations, ["scenario", "status"]).ConfigureAwait(false);
        var requests = await Totals(MetricNames.Requests, ["scenario", "step", "status"]).ConfigureAwait(false);
        var dropped = await Totals(MetricNames.DroppedIterations, ["scenario"]).ConfigureAwait(false);
        var checks = await Totals(MetricNames.Checks, ["scenario", "check", "result"]).ConfigureAwait(false);
        var business = await Totals(MetricNames.BusinessEvents, ["scenario", "event", "outcome"]).ConfigureAwait(false);

        var run = new RunData { Id = "{" + matchers + "}", Location = $"{client.BaseAddress} {{{matchers}}}[{range}]", Release = ReleaseOf(matchers) };
        ScenarioData Scenario(IReadOnlyDictionary<string, string> labels)
        {
            var name = labels.GetValueOrDefault("scenario") ?? "";
            var s = run.Scenarios.FirstOrDefault(x => x.Name == name);
            if (s is null)
            {
                s = new ScenarioData { Name = name };
                run.Scenarios.Add(s);
            }

            return s;
        }

        StepData Step(ScenarioData s, string name)
        {
            var step = s.Steps.FirstOrDefault(x => x.Name == name);
            if (step is null)
            {
                step = new StepData { Name = name };
                s.Steps.Add(step);
            }

            return step;
        }

        foreach (var sample in iterations)
        {
            var s = Scenario(sample.Labels);
            var count = Count(sample.Value);
            if (sample.Labels.GetValueOrDefault("status") == "fail")
            {
                s.Fail += count;
            }
            else
            {
                s.Ok += count;
            }
        }

        foreach (var sample in requests)
        {
            var step = Step(Scenario(sample.Labels), sample.Labels.GetValueOrDefault("step") ?? "");
            if (sample.Labels.GetValueOrDefault("status") == "fail")
            {
                step.Fail += Count(sample.Value);
            }
            else
            {
                step.Ok += Count(sample.Value);
            }
        }

        if (dropped.Count > 0)
        {
            foreach (var s in run.Scenarios)
            {
                s.Dropped = 0;
            }

            foreach (var sample in dropped)
            {
                var s = Scenario(sample.Labels);
                s.Dropped = (s.Dropped ?? 0) + Count(sample.Value);
            }
        }

        foreach (var sample in checks)
        {
            var s = Scenario(sample.Labels);
            var check = sample.Labels.GetValueOrDefault("check") ?? "";
            var (pass, fail) = s.Checks.GetValueOrDefault(check);
            s.Checks[check] = sample.Labels.GetValueOrDefault("result") == "fail" ? (pass, fail + Count(sample.Value)) : (pass + Count(sample.Value), fail);
        }

        foreach (var sample in business)
        {
            var s = Scenario(sample.Labels);
            var evt = sample.Labels.GetValueOrDefault("event") ?? "";
            if (!s.Business.TryGetValue(evt, out var outcomes))
            {
                s.Business[evt] = outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            var outcome = sample.Labels.GetValueOrDefault("outcome") ?? "";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + Count(sample.Value);
        }

        foreach (var group in buckets.GroupBy(b => (Scenario: b.Labels.GetValueOrDefault("scenario") ?? "", Step: b.Labels.GetValueOrDefault("step") ?? "")))
        {
            var distribution = FromCumulativeBuckets(group.Select(b => (Le(b.Labels), b.Value)));
            var s = Scenario(new Dictionary<string, string> { ["scenario"] = group.Key.Scenario });
            if (group.Key.Step.Length == 0)
            {
                if (latency == "service_time")
                {
                    s.ServiceTime = distribution;
                }
                else
                {
                    s.ResponseTime = distribution;
                }
            }
            else
            {
                var step = Step(s, group.Key.Step);
                if (latency == "service_time")
                {
                    step.ServiceTime = distribution;
                }
                else
                {
                    step.ResponseTime = distribution;
                }
            }
        }

        if (run.Scenarios.Sum(s => s.Ok + s.Fail) == 0)
        {
            throw new CompareInputException($"Prometheus at {client.BaseAddress} has no loadlab iterations for {{{matchers}}} in the last {range}; check the selector and --range.");
        }

        return run;
    }

    /// <summary>
    /// The increase of one counter series from the value it had before the range (none when the series was born
    /// in the range, as a run's series are: it counts from zero) through its samples in the range. A sample below
    /// the one before it is a counter reset (a new run with the same labels): it counts from zero, as in PromQL.
    /// Nothing is extrapolated.
    /// </summary>
    /// <param name="before">The series' value at the start of the range, or null when it had none.</param>
    /// <param name="values">The values of its samples in the range, oldest first.</param>
    /// <returns>The increase.</returns>
    public static double CounterIncrease(double? before, IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var previous = before is { } b && double.IsFinite(b) ? b : 0;
        double increase = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                continue;
            }

            increase += value >= previous ? value - previous : value;
            previous = value;
        }

        return increase;
    }

    /// <summary>Parses a PromQL duration such as 90s, 1h or 2h30m (y = 365d, w = 7d).</summary>
    /// <param name="duration">The text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="CompareInputException">It is not a PromQL duration, or it is zero.</exception>
    public static TimeSpan ParseDuration(string duration)
    {
        ArgumentNullException.ThrowIfNull(duration);
        var match = RangePattern().Match(duration);
        if (!match.Success)
        {
            throw new CompareInputException($"--range '{duration}' is not a Prometheus duration; expected e.g. 30m, 1h, 2h30m.");
        }

        var total = TimeSpan.Zero;
        var numbers = match.Groups[2].Captures;
        var units = match.Groups[3].Captures;
        try
        {
            for (var i = 0; i < units.Count; i++)
            {
                var n = int.Parse(numbers[i].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                total += units[i].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    "d" => TimeSpan.FromDays(n),
                    "w" => TimeSpan.FromDays(7.0 * n),
                    _ => TimeSpan.FromDays(365.0 * n),
                };
            }
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw new CompareInputException($"--range '{duration}' is too long; expected e.g. 30m, 1h, 2h30m.", e);
        }

        if (total <= TimeSpan.Zero || total > s_maxRange)
        {
            throw new CompareInputException($"--range '{duration}' must be more than 0 and at most 100y; expected e.g. 30m, 1h, 2h30m.");
        }

        return total;
    }

    /// <summary>Turns cumulative le buckets (seconds) into a distribution of per-bucket counts in microseconds.</summary>
    /// <param name="cumulative">(le, cumulative count) pairs, any order; +Inf allowed.</param>
    /// <returns>The distribution; the +Inf bucket is a point at the highest finite bound.</returns>
    public static Distribution FromCumulativeBuckets(IEnumerable<(double Le, double Count)> cumulative)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        var sorted = cumulative.Where(b => !double.IsNaN(b.Le)).OrderBy(b => b.Le).ToList();
        var result = new List<(double, double, long)>();
        double previousLe = 0, previousCount = 0;
        foreach (var (le, count) in sorted)
        {
            // increase() extrapolates, so counts are not integers and can dip slightly; round and clamp.
            var n = (long)Math.Round(Math.Max(0, count - previousCount));
            var upper = double.IsPositiveInfinity(le) ? previousLe : le;
            if (n > 0)
            {
                result.Add((previousLe * 1e6, upper * 1e6, n));
            }

            previousCount = Math.Max(previousCount, count);
            previousLe = upper;
        }

        return new Distribution(result);
    }

    /// <summary>Accepts <c>release="1.4.2"</c> or <c>{release="1.4.2"}</c>; returns the matchers without braces.</summary>
    /// <param name="selector">The selector.</param>
    /// <returns>The matchers.</returns>
    /// <exception cref="CompareInputException">It is not a list of label matchers.</exception>
    public static string NormalizeSelector(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var text = selector.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1].Trim();
        }

        if (!SelectorPattern().IsMatch(text))
        {
            throw new CompareInputException($"Selector '{selector}' is not a list of label matchers; expected e.g. release=\"1.4.2\" or release=\"1.4.2\",environment=\"staging\".");
        }

        return text;
    }

    /// <summary>
    /// The increase over the range of every series of <paramref name="selector"/>, summed by <paramref name="by"/>:
    /// the raw samples in the range and, for series that existed before it, the value at its start.
    /// </summary>
    private static async Task<IReadOnlyList<PrometheusSample>> IncreaseAsync(
        PrometheusClient client, string selector, string range, TimeSpan span, string[] by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var inRange = await client.QueryRangeVectorAsync($"{selector}[{range}]", at, cancellationToken).ConfigureAwait(false);
        if (inRange.Count == 0)
        {
            return [];
        }

        var before = (await client.QueryAsync(selector, at - span, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => SeriesKey(s.Labels), s => s.Value, StringComparer.Ordinal);
        var sums = new Dictionary<string, (Dictionary<string, string> Labels, double Sum)>(StringComparer.Ordinal);
        foreach (var series in inRange)
        {
            var increase = CounterIncrease(before.TryGetValue(SeriesKey(series.Labels), out var b) ? b : null, series.Samples.Select(x => x.Value));
            var labels = by.ToDictionary(l => l, l => series.Labels.GetValueOrDefault(l) ?? "", StringComparer.Ordinal);
            var key = string.Join('\u0000', by.Select(l => labels[l]));
            sums[key] = (labels, (sums.TryGetValue(key, out var sum) ? sum.Sum : 0) + increase);
        }

        return sums.Values.Select(x => new PrometheusSample(x.Labels, x.Sum)).ToList();
    }

    private static string SeriesKey(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\u0000', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private static string? ReleaseOf(string matchers)
    {
        var m = ReleasePattern().Match(matchers);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static double Le(IReadOnlyDictionary<string, string> labels) =>
        labels.GetValueOrDefault("le") switch
        {
            "+Inf" => double.PositiveInfinity,
            { } text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
            _ => double.NaN,
        };

    private static long Count(double value) => double.IsFinite(value) ? (long)Math.Round(Math.Max(0, value)) : 0;

    [GeneratedRegex("""^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*(,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*)*,?\s*$""")]
    private static partial Regex SelectorPattern();

    [GeneratedRegex("""^(([0-9]+)(ms|s|m|h|d|w|y))+$""")]
    private static partial Regex RangePattern();

    [GeneratedRegex("""(?:^|,)\s*release\s*=\s*"([^"]*)"\s*""")]
    private static partial Regex ReleasePattern();
}
