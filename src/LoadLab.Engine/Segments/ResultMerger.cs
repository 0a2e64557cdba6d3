using LoadLab.Engine.Configuration;
using LoadLab.Engine.Thresholds;
using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Engine.Segments;

/// <summary>
/// Merges the results of the N segments of one run into one result: counts and HdrHistograms add up
/// exactly (so percentiles are those of the whole run), timelines are added second by second, and the
/// thresholds are judged again on the whole.
/// </summary>
public static class ResultMerger
{
    /// <summary>Merges segment results.</summary>
    /// <param name="parts">The results with their file names (for messages).</param>
    /// <returns>The merged result.</returns>
    /// <exception cref="ConfigurationException">The parts do not make one whole run; every problem is listed.</exception>
    public static RunResult Merge(IReadOnlyList<(string File, RunResult Result)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        Check(parts);
        var first = parts[0].Result;
        var all = parts.Select(p => p.Result).ToList();
        var merged = new RunResult
        {
            RunId = first.RunId,
            Profile = first.Profile,
            Labels = new Dictionary<string, string>(first.Labels, StringComparer.Ordinal),
            GitCommit = first.GitCommit,
            Segment = new SegmentInfo { Index = 1, Count = 1, Merged = all.Select(r => r.Segment.Index).Order().ToList() },
            StartedAt = all.Min(r => r.StartedAt),
            EndedAt = all.Max(r => r.EndedAt),
            DurationSeconds = all.Max(r => r.DurationSeconds),
            Machine = first.Machine,
            Faults = all.SelectMany(r => r.Faults).ToList(),
            Telemetry = new TelemetryReport { Sinks = all.SelectMany(r => r.Telemetry.Sinks).ToList() },
            Generator = new GeneratorHealth
            {
                CpuRatio = all.Max(r => r.Generator.CpuRatio),
                GcPauseSeconds = all.Sum(r => r.Generator.GcPauseSeconds),
                GcCount = all.Sum(r => r.Generator.GcCount),
                DroppedIterations = all.Sum(r => r.Generator.DroppedIterations),
                LaunchLateness = MergeLatency(all.Select(r => r.Generator.LaunchLateness)),
                PeakWorkingSetBytes = all.Max(r => r.Generator.PeakWorkingSetBytes),
            },
        };

        foreach (var name in first.Scenarios.Select(s => s.Name))
        {
            merged.Scenarios.Add(MergeScenario(all.Select(r => r.Scenarios.First(s => s.Name == name)).ToList()));
        }

        merged.Timeline = MergeTimeline(all.SelectMany(r => r.Timeline));
        merged.Thresholds = first.Thresholds.Select(t => Judge(t, merged)).ToList();

        var statuses = all.Select(r => r.Status).ToList();
        merged.Status = statuses.Contains(RunStatus.Interrupted) ? RunStatus.Interrupted
            : statuses.Contains(RunStatus.Aborted) ? RunStatus.Aborted
            : merged.Thresholds.Any(t => !t.Passed) || all.Any(r => r.Status == RunStatus.Failed && r.Thresholds.All(t => t.Passed)) ? RunStatus.Failed
            : RunStatus.Passed;
        merged.Error = merged.Status == RunStatus.Passed ? null
            : string.Join("; ", all.Where(r => r.Error is not null).Select(r => $"segment {r.Segment.Index}: {r.Error}").Prepend(
                merged.Thresholds.Any(t => !t.Passed) ? $"{merged.Thresholds.Count(t => !t.Passed)} of {merged.Thresholds.Count} thresholds failed on the merged result" : null)
                .Where(s => s is not null));
        return merged;
    }

    private static void Check(IReadOnlyList<(string File, RunResult Result)> parts)
    {
        var errors = new List<ConfigError>();
        if (parts.Count == 0)
        {
            throw new ConfigurationException("merge", [new ConfigError("merge", "", "no result files given")]);
        }

        var (firstFile, first) = parts[0];
        var n = first.Segment.Count;
        foreach (var (file, r) in parts)
        {
            if (r.RunId != first.RunId)
            {
                errors.Add(new ConfigError(file, "runId", $"is '{r.RunId}' but {firstFile} has '{first.RunId}'; all parts must come from one run (use the same --run-id)"));
            }

            if (r.Profile != first.Profile)
            {
                errors.Add(new ConfigError(file, "profile", $"is '{r.Profile}' but {firstFile} has '{first.Profile}'"));
            }

            if (r.Segment.Count != n)
            {
                errors.Add(new ConfigError(file, "segment", $"is {r.Segment.Index}/{r.Segment.Count} but {firstFile} is one of {n}"));
            }

            if (r.Segment.Merged is not null)
            {
                errors.Add(new ConfigError(file, "segment", "is already a merged result"));
            }

            if (!r.Scenarios.Select(s => s.Name).Order(StringComparer.Ordinal).SequenceEqual(first.Scenarios.Select(s => s.Name).Order(StringComparer.Ordinal)))
            {
                errors.Add(new ConfigError(file, "scenarios", $"are [{string.Join(", ", r.Scenarios.Select(s => s.Name))}] but {firstFile} has [{string.Join(", ", first.Scenarios.Select(s => s.Name))}]"));
            }
        }

        foreach (var dup in parts.GroupBy(p => p.Result.Segment.Index).Where(g => g.Count() > 1))
        {
            errors.Add(new ConfigError(string.Join(", ", dup.Select(d => d.File)), "segment", $"segment {dup.Key}/{n} is given {dup.Count()} times"));
        }

        var missing = Enumerable.Range(1, n).Except(parts.Select(p => p.Result.Segment.Index)).ToList();
        if (missing.Count > 0 && errors.Count == 0)
        {
            errors.Add(new ConfigError("merge", "segment", $"segment(s) {string.Join(", ", missing.Select(m => $"{m}/{n}"))} missing; expected all {n} segments of run '{first.RunId}'"));
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException("merge", errors);
        }
    }

    private static ScenarioResult MergeScenario(List<ScenarioResult> parts)
    {
        var first = parts[0];
        var duration = parts.Max(p => p.DurationSeconds);
        var s = new ScenarioResult
        {
            Name = first.Name,
            Model = first.Model,
            DurationSeconds = duration,
            Iterations = new IterationCounts { Ok = parts.Sum(p => p.Iterations.Ok), Fail = parts.Sum(p => p.Iterations.Fail), Dropped = parts.Sum(p => p.Iterations.Dropped) },
            Rate = new RateInfo { Target = Math.Round(parts.Sum(p => p.Rate.Target), 3) },
            ResponseTime = MergeLatency(parts.Select(p => p.ResponseTime)),
            ServiceTime = MergeLatency(parts.Select(p => p.ServiceTime)),
            FailResponseTime = MergeLatency(parts.Select(p => p.FailResponseTime)),
            Errors = SumMaps(parts.Select(p => p.Errors)),
            MaxConcurrency = parts.Sum(p => p.MaxConcurrency),
        };
        s.Rate.Achieved = duration > 0 ? Math.Round((s.Iterations.Ok + s.Iterations.Fail) / duration, 3) : 0;
        foreach (var name in parts.SelectMany(p => p.Steps.Select(x => x.Name)).Distinct().Order(StringComparer.Ordinal))
        {
            var steps = parts.SelectMany(p => p.Steps.Where(x => x.Name == name)).ToList();
            s.Steps.Add(new StepResult
            {
                Name = name,
                Requests = new RequestCounts { Ok = steps.Sum(x => x.Requests.Ok), Fail = steps.Sum(x => x.Requests.Fail) },
                ResponseTime = MergeLatency(steps.Select(x => x.ResponseTime)),
                ServiceTime = MergeLatency(steps.Select(x => x.ServiceTime)),
                FailResponseTime = MergeLatency(steps.Select(x => x.FailResponseTime)),
                Errors = SumMaps(steps.Select(x => x.Errors)),
                StatusCodes = SumMaps(steps.Select(x => x.StatusCodes)),
                Bytes = new ByteCounts { Sent = steps.Sum(x => x.Bytes.Sent), Received = steps.Sum(x => x.Bytes.Received) },
            });
        }

        foreach (var name in parts.SelectMany(p => p.Checks.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            s.Checks[name] = new CheckCounts
            {
                Pass = parts.Sum(p => p.Checks.GetValueOrDefault(name)?.Pass ?? 0),
                Fail = parts.Sum(p => p.Checks.GetValueOrDefault(name)?.Fail ?? 0),
            };
        }

        foreach (var ev in parts.SelectMany(p => p.Business.Keys).Distinct(StringComparer.Ordinal))
        {
            s.Business[ev] = SumMaps(parts.Select(p => p.Business.GetValueOrDefault(ev) ?? []));
        }

        return s;
    }

    private static LatencySummary MergeLatency(IEnumerable<LatencySummary> parts) =>
        HistogramSnapshot.Merge(parts.Select(p => p.GetHistogram())).ToSummary();

    private static Dictionary<string, long> SumMaps(IEnumerable<Dictionary<string, long>> maps)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var m in maps)
        {
            foreach (var (k, v) in m)
            {
                result[k] = result.GetValueOrDefault(k) + v;
            }
        }

        return result;
    }

    /// <summary>
    /// Adds the segments' points of the same scenario and second. Response percentiles come from the
    /// added interval histograms (exact); service percentiles, which points keep no histogram for, are
    /// count-weighted means of the parts (approximate).
    /// </summary>
    private static List<TimelinePoint> MergeTimeline(IEnumerable<TimelinePoint> points)
    {
        var merged = new List<TimelinePoint>();
        foreach (var g in points.GroupBy(p => (p.Scenario, Second: (long)Math.Round(p.T))).OrderBy(g => g.Key.Second).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal))
        {
            var list = g.ToList();
            var h = HistogramSnapshot.Merge(list.Where(p => p.Histogram.Length > 0).Select(p => HistogramSnapshot.FromBase64(p.Histogram)));
            var count = Math.Max(1, list.Sum(p => p.Ok));
            var errors = SumMaps(list.Where(p => p.Errors is not null).Select(p => p.Errors!));
            merged.Add(new TimelinePoint
            {
                T = g.Key.Second,
                Scenario = g.Key.Scenario,
                Ok = list.Sum(p => p.Ok),
                Fail = list.Sum(p => p.Fail),
                TargetRate = Math.Round(list.Sum(p => p.TargetRate), 3),
                Concurrency = list.Sum(p => p.Concurrency),
                P50 = h.GetValueAtPercentile(50) / 1e6,
                P95 = h.GetValueAtPercentile(95) / 1e6,
                P99 = h.GetValueAtPercentile(99) / 1e6,
                ServiceP50 = list.Sum(p => p.ServiceP50 * p.Ok) / count,
                ServiceP95 = list.Sum(p => p.ServiceP95 * p.Ok) / count,
                Errors = errors.Count == 0 ? null : errors,
                Histogram = h.IsEmpty ? "" : h.ToBase64(),
            });
        }

        return merged;
    }

    private static ThresholdResult Judge(ThresholdResult original, RunResult merged)
    {
        var verdict = new ThresholdResult
        {
            Scenario = original.Scenario,
            Expr = original.Expr,
            Window = original.Window,
            Abort = original.Abort,
            Bound = original.Bound,
            FailedAt = original.FailedAt,
        };
        ThresholdExpression expr;
        try
        {
            expr = ThresholdExpression.Parse(original.Expr);
        }
        catch (FormatException)
        {
            verdict.Passed = original.Passed;
            verdict.Value = original.Value;
            return verdict;
        }

        var scenario = merged.Scenarios.First(s => s.Name == original.Scenario);
        if (original.Window is not { } window)
        {
            verdict.Value = expr.Evaluate(new ResultData(scenario));
            verdict.Passed = verdict.Value is not null && expr.Holds(verdict.Value.Value);
            return verdict;
        }

        // Windows slide second by second over the merged timeline, as the engine judged them live.
        var points = merged.Timeline.Where(p => p.Scenario == original.Scenario).OrderBy(p => p.T).ToList();
        var seconds = (int)Math.Ceiling(window);
        double? worst = null;
        var failed = false;
        var upper = expr.Operator is "<" or "<=";
        for (var i = seconds - 1; i < points.Count; i++)
        {
            var span = points.Skip(i - seconds + 1).Take(seconds).ToList();
            var v = expr.Evaluate(new WindowData(span));
            if (v is null)
            {
                continue;
            }

            worst = worst is null ? v : upper ? Math.Max(worst.Value, v.Value) : Math.Min(worst.Value, v.Value);
            failed |= !expr.Holds(v.Value);
        }

        verdict.Value = worst;
        verdict.Passed = worst is not null && !failed;
        return verdict;
    }

    private sealed class ResultData(ScenarioResult s) : IThresholdData
    {
        public double Seconds => s.DurationSeconds;

        public HistogramSnapshot Latency(string? step, bool service)
        {
            var summary = step is null ? (service ? s.ServiceTime : s.ResponseTime)
                : s.Steps.FirstOrDefault(x => x.Name == step) is { } st ? (service ? st.ServiceTime : st.ResponseTime) : null;
            return summary?.GetHistogram() ?? HistogramSnapshot.Empty;
        }

        public (long Ok, long Fail) Counts(string? step) => step is null ? (s.Iterations.Ok, s.Iterations.Fail)
            : s.Steps.FirstOrDefault(x => x.Name == step) is { } st ? (st.Requests.Ok, st.Requests.Fail) : (0, 0);

        public (long Pass, long Fail) Checks() => (s.Checks.Values.Sum(c => c.Pass), s.Checks.Values.Sum(c => c.Fail));

        public long Dropped() => s.Iterations.Dropped;

        public long Business(string eventName, string? outcome) =>
            s.Business.TryGetValue(eventName, out var o) ? (outcome is null ? o.Values.Sum() : o.GetValueOrDefault(outcome)) : 0;
    }

    private sealed class WindowData(List<TimelinePoint> span) : IThresholdData
    {
        public double Seconds => span.Count;

        public HistogramSnapshot Latency(string? step, bool service) =>
            HistogramSnapshot.Merge(span.Where(p => p.Histogram.Length > 0).Select(p => HistogramSnapshot.FromBase64(p.Histogram)));

        public (long Ok, long Fail) Counts(string? step) => (span.Sum(p => p.Ok), span.Sum(p => p.Fail));

        public (long Pass, long Fail) Checks() => (0, 0);

        public long Dropped() => 0;

        public long Business(string eventName, string? outcome) => 0;
    }
}
