using System.Globalization;
using System.Text.RegularExpressions;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Statistics;
using LoadLab.Metrics;

namespace LoadLab.Compare.Prometheus;

/// <summary>
/// Builds <see cref="RunData"/> from the harness series stored in Prometheus: the increase over a
/// range of the response-time histogram buckets (by scenario, step, le) and of the iteration,
/// request, dropped-iteration, check and business counters, for one label selector. The buckets
/// become tie groups for the same rank statistics as HdrHistograms.
/// </summary>
public static partial class PrometheusRunSource
{
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
        if (!RangePattern().IsMatch(range))
        {
            throw new CompareInputException($"--range '{range}' is not a Prometheus duration; expected e.g. 30m, 1h, 2h30m.");
        }

        var histogram = latency == "service_time" ? MetricNames.ServiceTime : MetricNames.ResponseTime;
        string Q(string metric, string by, string extra = "") =>
            $"sum by ({by}) (increase({metric}{{{matchers}{extra}}}[{range}]))";

        var buckets = await client.QueryAsync(Q(histogram + "_bucket", "scenario, step, le", ", status!=\"fail\""), time, cancellationToken).ConfigureAwait(false);
        var iterations = await client.QueryAsync(Q(MetricNames.Iterations, "scenario, status"), time, cancellationToken).ConfigureAwait(false);
        var requests = await client.QueryAsync(Q(MetricNames.Requests, "scenario, step, status"), time, cancellationToken).ConfigureAwait(false);
        var dropped = await client.QueryAsync(Q(MetricNames.DroppedIterations, "scenario"), time, cancellationToken).ConfigureAwait(false);
        var checks = await client.QueryAsync(Q(MetricNames.Checks, "scenario, check, result"), time, cancellationToken).ConfigureAwait(false);
        var business = await client.QueryAsync(Q(MetricNames.BusinessEvents, "scenario, event, outcome"), time, cancellationToken).ConfigureAwait(false);

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

    [GeneratedRegex("""^([0-9]+(ms|s|m|h|d|w|y))+$""")]
    private static partial Regex RangePattern();

    [GeneratedRegex("""(?:^|,)\s*release\s*=\s*"([^"]*)"\s*""")]
    private static partial Regex ReleasePattern();
}
