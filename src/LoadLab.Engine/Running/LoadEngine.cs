using System.Diagnostics;
using System.Reflection;
using LoadLab.Engine.Measurement;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Scheduling;
using LoadLab.Engine.Simulations;
using LoadLab.Engine.Thresholds;
using LoadLab.Engine.Tracing;
using LoadLab.Histograms;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;

namespace LoadLab.Engine.Running;

/// <summary>
/// Runs scenarios and returns the result. A scheduler thread ticks about every millisecond and
/// launches due iterations; a snapshot loop once a second builds the timeline, publishes samples to
/// the sinks and judges thresholds (and may abort). Whatever ends the run (the plan, a threshold
/// abort, cancellation, a failing init), a result is returned, marked with how it ended.
/// </summary>
public static class LoadEngine
{
    /// <summary>Runs the scenarios.</summary>
    /// <param name="options">The run.</param>
    /// <param name="cancellationToken">Cancelling it interrupts the run (Ctrl+C): the partial result is returned, marked interrupted.</param>
    /// <returns>The result.</returns>
    /// <exception cref="SinkStartException">An output could not start; no load was generated.</exception>
    public static async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var run = new EngineRun(options);
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

internal sealed class EngineRun
{
    private readonly RunOptions _options;
    private readonly List<ScenarioRunner> _runners = [];
    private readonly List<ThresholdState> _thresholds = [];
    private readonly Dictionary<string, IntervalWindow> _windows = new(StringComparer.Ordinal);
    private readonly List<TimelinePoint> _timeline = [];
    private readonly LatencyHistogram _lateness = new();
    private readonly SinkManager _sinks;
    private readonly LabelSet _runLabels;
    private readonly Dictionary<string, PreviousTotals> _previous = new(StringComparer.Ordinal);
    private readonly Lock _snapshotLock = new();
    private long _measureStart;
    private long _lastSnapshot;
    private TimeSpan _lastCpu;
    private double _cpuRatio;
    private volatile string? _abortReason;

    public EngineRun(RunOptions options)
    {
        _options = options;
        _sinks = new SinkManager(options.Sinks, options.Logger);
        var labels = new List<(string, string)>
        {
            (MetricNames.Labels.Service, options.Labels.GetValueOrDefault("service", "")),
            (MetricNames.Labels.Environment, options.Labels.GetValueOrDefault("environment", "")),
            (MetricNames.Labels.Release, options.Labels.GetValueOrDefault("release", "")),
        };
        if (options.RunIdLabel)
        {
            labels.Add((MetricNames.Labels.RunId, options.RunId));
        }

        if (options.Segment.Count > 1)
        {
            labels.Add((MetricNames.Labels.Instance, options.Segment.ToString()));
        }

        _runLabels = LabelSet.Of([.. labels]);
    }

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _options.TimeProvider.GetUtcNow();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sinkContext = new SinkContext
        {
            RunId = _options.RunId,
            RunLabels = _runLabels,
            Profile = _options.Profile,
            Scenarios = _options.Scenarios.Select(s => s.Name).ToList(),
            Segment = _options.Segment.ToString(),
            TimeProvider = _options.TimeProvider,
            Logger = _options.Logger,
        };
        await _sinks.StartAsync(sinkContext, cancellationToken).ConfigureAwait(false);
        var tail = sinkContext.TailExportRequested ? new TailExport(sinkContext.SlowIterationThreshold) : null;

        string? error = null;
        var runtimes = new List<ScenarioRuntime>();
        foreach (var props in _options.Scenarios)
        {
            var seed = props.Seed ?? HashCode.Combine(_options.Seed, StableHash(props.Name));
            var runtime = new ScenarioRuntime(props.Name, seed, _options.Logger, _options.RunId, stop.Token);
            runtimes.Add(runtime);
            var measured = LoadPlan.Build(props.Simulations, _options.Segment, seed);
            _runners.Add(new ScenarioRunner(props, measured, runtime, _lateness, tail));
            foreach (var t in props.Thresholds)
            {
                _thresholds.Add(new ThresholdState(props.Name, t));
            }

            var maxWindow = props.Thresholds.Select(t => (int)Math.Ceiling(t.Window?.TotalSeconds ?? 0)).DefaultIfEmpty(0).Max();
            _windows[props.Name] = new IntervalWindow(Math.Max(maxWindow, 5));
        }

        var initialized = new List<ScenarioRuntime>();
        for (var i = 0; i < _runners.Count && error is null; i++)
        {
            if (_runners[i].Props.Init is { } init)
            {
                try
                {
                    await init(runtimes[i]).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = $"Scenario '{_runners[i].Name}' init failed: {e.GetType().Name}: {e.Message}";
                    _options.Logger.LogError("{Error}", error);
                }
                catch (OperationCanceledException)
                {
                    error = "interrupted during init";
                }
            }

            initialized.Add(runtimes[i]);
        }

        Thread? scheduler = null;
        Task? snapshots = null;
        var maxWarmUp = _runners.Select(r => r.Props.WarmUp).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (error is null && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            _measureStart = now + (long)(maxWarmUp.TotalSeconds * Stopwatch.Frequency);
            foreach (var r in _runners)
            {
                // All scenarios warm up so that they begin measuring at the same instant.
                r.Begin(_measureStart - (long)(r.Props.WarmUp.TotalSeconds * Stopwatch.Frequency), _measureStart);
            }

            _lastSnapshot = _measureStart;
            _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
            startedAt = _options.TimeProvider.GetUtcNow() + maxWarmUp;
            scheduler = new Thread(() => SchedulerLoop(stop.Token)) { IsBackground = true, Name = "loadlab-scheduler", Priority = ThreadPriority.AboveNormal };
            scheduler.Start();
            snapshots = SnapshotLoopAsync(stop);
            while (!_runners.All(r => r.LoadFinished) && !stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(10, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var end = Stopwatch.GetTimestamp();
            foreach (var r in _runners)
            {
                r.Stop(end);
            }

            if (!stop.IsCancellationRequested)
            {
                var grace = _runners.Select(r => r.Props.GracefulStop).DefaultIfEmpty(TimeSpan.Zero).Max();
                await Task.WhenAll(_runners.Select(r => r.WaitForInFlightAsync(grace, CancellationToken.None))).ConfigureAwait(false);
            }
            else
            {
                // Interrupted or aborted: give in-flight iterations a moment, then cut them off.
                await Task.WhenAll(_runners.Select(r => r.WaitForInFlightAsync(TimeSpan.FromSeconds(2), CancellationToken.None))).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            scheduler.Join(TimeSpan.FromSeconds(5));
            try
            {
                await snapshots.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The loop ends by cancellation.
            }

            TakeSnapshot(Stopwatch.GetTimestamp(), final: true);
        }

        for (var i = 0; i < initialized.Count; i++)
        {
            if (_runners[i].Props.Clean is { } clean)
            {
                try
                {
                    await clean(new ScenarioRuntime(runtimes[i].Name, runtimes[i].Seed, _options.Logger, _options.RunId, CancellationToken.None)).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    var message = $"Scenario '{_runners[i].Name}' clean failed: {e.GetType().Name}: {e.Message}";
                    _options.Logger.LogError("{Error}", message);
                    error ??= message;
                }
            }
        }

        var result = BuildResult(startedAt, error, cancellationToken.IsCancellationRequested);
        var summary = new RunSummary { Result = result, FinalSamples = BuildSamples(Stopwatch.GetTimestamp(), result) };
        result.Telemetry.Sinks = await _sinks.StopAsync(summary, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return result;
    }

    private void SchedulerLoop(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var all = true;
            var next = long.MaxValue;
            foreach (var r in _runners)
            {
                r.Tick(now);
                all &= r.LoadFinished;
                next = Math.Min(next, r.NextDueTimestamp());
            }

            if (all)
            {
                return;
            }

            // Sleep until the next arrival is due, but look again at least every millisecond (closed-model
            // users, phase changes, cancellation). The launch lateness that remains is measured and reported.
            PreciseSleep.Until(Math.Min(next, Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 1000)));
        }
    }

    private async Task SnapshotLoopAsync(CancellationTokenSource stop)
    {
        var interval = _options.SnapshotInterval;
        var next = _measureStart;
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now < _measureStart)
            {
                ReportWarmUp(now);
                next = _measureStart + (long)(interval.TotalSeconds * Stopwatch.Frequency);
            }
            else if (now >= next)
            {
                TakeSnapshot(now, final: false);
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                if (_abortReason is not null)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }

            var wait = Math.Max(1, (next - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait, 250)), stop.Token).ConfigureAwait(false);
        }
    }

    private void ReportWarmUp(long now)
    {
        var elapsed = Stopwatch.GetElapsedTime(_measureStart, now);
        var scenarios = _runners.Select(r => new ScenarioProgress(r.Name, true, r.CurrentTargetRate, 0, 0, 0, 0, Math.Max(r.InFlight, r.ActiveUsers), 0, false)).ToList();
        Notify(new RunProgress(-elapsed.Duration(), PlannedDuration(), scenarios));
    }

    private TimeSpan? PlannedDuration()
    {
        var plans = _runners.Select(r => r.Plan.PlannedDuration).ToList();
        return plans.Any(p => p is null) ? null : plans.Max();
    }

    private void Notify(RunProgress progress)
    {
        try
        {
            _options.Observer?.OnProgress(progress);
        }
        catch (Exception e)
        {
            _options.Logger.LogWarning("Progress observer failed: {Message}", e.Message);
        }
    }

    private void TakeSnapshot(long now, bool final)
    {
        lock (_snapshotLock)
        {
            var seconds = Stopwatch.GetElapsedTime(_lastSnapshot, now).TotalSeconds;
            // A final snapshot right after a periodic one is skipped only when nothing ended in between;
            // otherwise the timeline would miss the last iterations that the totals count.
            if (final && seconds < 0.05 && _timeline.Count > 0 && _runners.All(r =>
                    _previous.TryGetValue(r.Name, out var p) && p.Ok == r.Stats.Iterations.Ok && p.Fail == r.Stats.Iterations.Fail))
            {
                return;
            }

            _lastSnapshot = now;
            var elapsed = Stopwatch.GetElapsedTime(_measureStart, now);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            if (seconds > 0)
            {
                _cpuRatio = (cpu - _lastCpu).TotalSeconds / seconds / Environment.ProcessorCount;
            }

            _lastCpu = cpu;
            var progress = new List<ScenarioProgress>();
            foreach (var r in _runners)
            {
                var s = r.Stats;
                var okResponse = s.IntervalResponse.TakeInterval();
                var okService = s.IntervalService.TakeInterval();
                var prev = _previous.GetValueOrDefault(r.Name) ?? new PreviousTotals();
                var ok = s.Iterations.Ok;
                var fail = s.Iterations.Fail;
                var errors = SeriesStats.Copy(s.Iterations.Errors);
                var checkPass = s.Checks.Values.Sum(c => Interlocked.Read(ref c.Pass));
                var checkFail = s.Checks.Values.Sum(c => Interlocked.Read(ref c.Fail));
                var dropped = s.Dropped;
                var errorDelta = errors.Select(kv => (kv.Key, kv.Value - prev.Errors.GetValueOrDefault(kv.Key)))
                    .Where(e => e.Item2 > 0).ToDictionary(e => e.Key, e => e.Item2, StringComparer.Ordinal);
                var point = new IntervalPoint(okResponse, okService, ok - prev.Ok, fail - prev.Fail, seconds, checkPass - prev.ChecksPass, checkFail - prev.ChecksFail, dropped - prev.Dropped);
                _windows[r.Name].Add(point);
                _previous[r.Name] = new PreviousTotals(ok, fail, checkPass, checkFail, dropped, errors);
                var concurrency = Math.Max(r.InFlight, r.ActiveUsers);
                _timeline.Add(new TimelinePoint
                {
                    T = Math.Round(elapsed.TotalSeconds, 3),
                    Scenario = r.Name,
                    Ok = point.Ok,
                    Fail = point.Fail,
                    TargetRate = Math.Round(r.CurrentTargetRate, 3),
                    Concurrency = concurrency,
                    P50 = okResponse.GetValueAtPercentile(50) / 1e6,
                    P95 = okResponse.GetValueAtPercentile(95) / 1e6,
                    P99 = okResponse.GetValueAtPercentile(99) / 1e6,
                    ServiceP50 = okService.GetValueAtPercentile(50) / 1e6,
                    ServiceP95 = okService.GetValueAtPercentile(95) / 1e6,
                    Errors = errorDelta.Count == 0 ? null : errorDelta,
                    Histogram = okResponse.IsEmpty ? "" : okResponse.ToBase64(),
                });
                progress.Add(new ScenarioProgress(r.Name, false, r.CurrentTargetRate, seconds > 0 ? (point.Ok + point.Fail) / seconds : 0,
                    okResponse.GetValueAtPercentile(95) / 1e6, ok, fail, concurrency, dropped, r.LoadFinished));
            }

            JudgeThresholds(elapsed, final);
            if (!final)
            {
                var samples = BuildSamples(now, null);
                _sinks.Publish(samples.ToArray());
            }

            Notify(new RunProgress(elapsed, PlannedDuration(), progress));
        }
    }

    private void JudgeThresholds(TimeSpan elapsed, bool final)
    {
        foreach (var t in _thresholds)
        {
            var spec = t.Spec;
            var window = spec.Window;
            if (window is null)
            {
                if (!spec.Abort || elapsed < spec.After)
                {
                    continue;
                }

                var value = spec.Parsed.Evaluate(WholeRunData(t.Scenario));
                t.Live = value is null || spec.Parsed.Holds(value.Value);
                if (!t.Live && !final)
                {
                    t.FailedAt ??= elapsed.TotalSeconds;
                    _abortReason ??= $"threshold '{spec.Expr}' of scenario '{t.Scenario}' failed with {Format(spec.Parsed, value!.Value)} and aborts the run";
                }

                continue;
            }

            var start = spec.After > TimeSpan.Zero ? spec.After : window.Value;
            if (elapsed < start && !final)
            {
                continue;
            }

            var seconds = (int)Math.Ceiling(window.Value.TotalSeconds);
            var data = new WindowData(_windows[t.Scenario].Aggregate(seconds));
            var v = spec.Parsed.Evaluate(data);
            if (v is null)
            {
                continue;
            }

            t.Observe(v.Value);
            t.Live = spec.Parsed.Holds(v.Value);
            if (!t.Live)
            {
                t.WindowFailed = true;
                t.FailedAt ??= elapsed.TotalSeconds;
                if (spec.Abort && !final)
                {
                    _abortReason ??= $"threshold '{spec.Expr}' (window {Configuration.DurationParser.Format(window.Value)}) of scenario '{t.Scenario}' failed with {Format(spec.Parsed, v.Value)} and aborts the run";
                }
            }
        }
    }

    private static string Format(ThresholdExpression e, double value) =>
        e.IsLatency ? $"{value * 1000:0.###}ms" :
        e.Metric is ThresholdMetric.ErrorRate or ThresholdMetric.Checks or ThresholdMetric.BusinessShare ? $"{value * 100:0.###}%" : $"{value:0.###}";

    private RunData WholeRunData(string scenario)
    {
        var runner = _runners.First(r => r.Name == scenario);
        var seconds = _measureStart == 0 ? 0 : Stopwatch.GetElapsedTime(_measureStart, runner.LoadFinished && runner.LoadEndTimestamp > 0 ? runner.LoadEndTimestamp : Stopwatch.GetTimestamp()).TotalSeconds;
        return new RunData(runner.Stats, seconds);
    }

    private List<MetricSample> BuildSamples(long now, RunResult? final)
    {
        var ts = _options.TimeProvider.GetUtcNow();
        var samples = new List<MetricSample>(256);
        foreach (var r in _runners)
        {
            var s = r.Stats;
            var scenario = _runLabels.With((MetricNames.Labels.Scenario, r.Name));
            samples.Add(new MetricSample(MetricNames.Iterations, MetricKind.Counter, scenario.With((MetricNames.Labels.Status, "ok")), s.Iterations.Ok, ts));
            samples.Add(new MetricSample(MetricNames.Iterations, MetricKind.Counter, scenario.With((MetricNames.Labels.Status, "fail")), s.Iterations.Fail, ts));
            AddLatency(samples, scenario, s.Iterations, ts);
            foreach (var (kind, count) in SeriesStats.Copy(s.Iterations.Errors))
            {
                samples.Add(new MetricSample(MetricNames.Errors, MetricKind.Counter, scenario.With((MetricNames.Labels.Kind, kind)), count, ts));
            }

            foreach (var step in s.Steps)
            {
                var stepLabels = scenario.With((MetricNames.Labels.Step, step.Step!));
                samples.Add(new MetricSample(MetricNames.Requests, MetricKind.Counter, stepLabels.With((MetricNames.Labels.Status, "ok")), step.Ok, ts));
                samples.Add(new MetricSample(MetricNames.Requests, MetricKind.Counter, stepLabels.With((MetricNames.Labels.Status, "fail")), step.Fail, ts));
                AddLatency(samples, stepLabels, step, ts);
                foreach (var (kind, count) in SeriesStats.Copy(step.Errors))
                {
                    samples.Add(new MetricSample(MetricNames.Errors, MetricKind.Counter, stepLabels.With((MetricNames.Labels.Kind, kind)), count, ts));
                }
            }

            foreach (var (name, c) in s.Checks)
            {
                samples.Add(new MetricSample(MetricNames.Checks, MetricKind.Counter, scenario.With((MetricNames.Labels.Check, name), (MetricNames.Labels.Result, "pass")), Interlocked.Read(ref c.Pass), ts));
                samples.Add(new MetricSample(MetricNames.Checks, MetricKind.Counter, scenario.With((MetricNames.Labels.Check, name), (MetricNames.Labels.Result, "fail")), Interlocked.Read(ref c.Fail), ts));
            }

            foreach (var (key, box) in s.Business)
            {
                samples.Add(new MetricSample(MetricNames.BusinessEvents, MetricKind.Counter,
                    scenario.With((MetricNames.Labels.Event, key.Event), (MetricNames.Labels.Outcome, key.Outcome)), Interlocked.Read(ref box.Value), ts));
            }

            samples.Add(new MetricSample(MetricNames.VirtualUsers, MetricKind.Gauge, scenario, final is null ? Math.Max(r.InFlight, r.ActiveUsers) : 0, ts));
            samples.Add(new MetricSample(MetricNames.TargetRate, MetricKind.Gauge, scenario, final is null ? r.CurrentTargetRate : 0, ts));
            samples.Add(new MetricSample(MetricNames.DroppedIterations, MetricKind.Counter, scenario, s.Dropped, ts));
        }

        var allPass = true;
        foreach (var t in _thresholds)
        {
            var passed = final is null ? t.Live : final.Thresholds.FirstOrDefault(x => x.Scenario == t.Scenario && x.Expr == t.Spec.Expr)?.Passed ?? t.Live;
            allPass &= passed;
            samples.Add(new MetricSample(MetricNames.ThresholdPassed, MetricKind.Gauge,
                _runLabels.With((MetricNames.Labels.Scenario, t.Scenario), (MetricNames.Labels.Threshold, t.Spec.Expr)), passed ? 1 : 0, ts));
        }

        samples.Add(new MetricSample(MetricNames.GeneratorCpu, MetricKind.Gauge, _runLabels, Math.Round(_cpuRatio, 4), ts));
        var runPassed = final is null ? allPass && _abortReason is null : final.Status == RunStatus.Passed;
        samples.Add(new MetricSample(MetricNames.RunPassed, MetricKind.Gauge, _runLabels, runPassed ? 1 : 0, ts));
        return samples;
    }

    private static void AddLatency(List<MetricSample> samples, LabelSet labels, SeriesStats series, DateTimeOffset ts)
    {
        var ok = labels.With((MetricNames.Labels.Status, "ok"));
        var fail = labels.With((MetricNames.Labels.Status, "fail"));
        var okResponse = series.OkResponse.Snapshot();
        if (!okResponse.IsEmpty)
        {
            samples.Add(new MetricSample(MetricNames.ResponseTime, ok, okResponse, series.OkExemplars.Take(), ts));
            samples.Add(new MetricSample(MetricNames.ServiceTime, ok, series.OkService.Snapshot(), [], ts));
        }

        var failResponse = series.FailResponse.Snapshot();
        if (!failResponse.IsEmpty)
        {
            samples.Add(new MetricSample(MetricNames.ResponseTime, fail, failResponse, series.FailExemplars.Take(), ts));
            samples.Add(new MetricSample(MetricNames.ServiceTime, fail, series.FailService.Snapshot(), [], ts));
        }
    }

    private RunResult BuildResult(DateTimeOffset startedAt, string? error, bool interrupted)
    {
        var endedAt = _options.TimeProvider.GetUtcNow();
        var result = new RunResult
        {
            RunId = _options.RunId,
            Profile = _options.Profile,
            Labels = new Dictionary<string, string>(_options.Labels, StringComparer.Ordinal),
            GitCommit = _options.GitCommit,
            Segment = new SegmentInfo { Index = _options.Segment.Index, Count = _options.Segment.Count },
            StartedAt = startedAt,
            EndedAt = endedAt,
            Machine = new MachineInfo
            {
                Host = Environment.MachineName,
                Cores = Environment.ProcessorCount,
                Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                Dotnet = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                LoadLab = typeof(LoadEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev",
            },
            Timeline = _timeline,
        };

        var measuredEnd = _runners.Where(r => r.LoadEndTimestamp > 0).Select(r => r.LoadEndTimestamp).DefaultIfEmpty(_measureStart).Max();
        result.DurationSeconds = _measureStart == 0 ? 0 : Math.Max(0, Stopwatch.GetElapsedTime(_measureStart, measuredEnd).TotalSeconds);
        foreach (var r in _runners)
        {
            result.Scenarios.Add(ScenarioResultBuilder.Build(r, _measureStart));
        }

        foreach (var t in _thresholds)
        {
            result.Thresholds.Add(FinalVerdict(t));
        }

        result.Faults = [];
        result.Generator = new GeneratorHealth
        {
            CpuRatio = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds / Math.Max(1e-9, (endedAt - startedAt).TotalSeconds) / Environment.ProcessorCount, 4),
            GcPauseSeconds = GC.GetTotalPauseDuration().TotalSeconds,
            GcCount = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2),
            DroppedIterations = result.Scenarios.Sum(s => s.Iterations.Dropped),
            LaunchLateness = _lateness.Snapshot().ToSummary(),
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
        };

        if (error is not null)
        {
            result.Status = RunStatus.Failed;
            result.Error = error;
        }
        else if (interrupted)
        {
            result.Status = RunStatus.Interrupted;
            result.Error = "interrupted (Ctrl+C or SIGTERM); the result covers the run until then";
        }
        else if (_abortReason is not null)
        {
            result.Status = RunStatus.Aborted;
            result.Error = _abortReason;
        }
        else
        {
            result.Status = result.Thresholds.All(t => t.Passed) ? RunStatus.Passed : RunStatus.Failed;
            if (result.Status == RunStatus.Failed)
            {
                result.Error = $"{result.Thresholds.Count(t => !t.Passed)} of {result.Thresholds.Count} thresholds failed";
            }
        }

        return result;
    }

    private ThresholdResult FinalVerdict(ThresholdState t)
    {
        var spec = t.Spec;
        var r = new ThresholdResult
        {
            Scenario = t.Scenario,
            Expr = spec.Expr,
            Window = spec.Window?.TotalSeconds,
            Abort = spec.Abort,
            Bound = spec.Parsed.Bound,
            FailedAt = t.FailedAt,
        };
        if (spec.Window is null)
        {
            var value = spec.Parsed.Evaluate(WholeRunData(t.Scenario));
            r.Value = value;
            // No data means nothing was measured: a threshold cannot hold on nothing.
            r.Passed = value is not null && spec.Parsed.Holds(value.Value) && (t.FailedAt is null || !spec.Abort);
        }
        else
        {
            r.Value = t.Worst;
            r.Passed = t.Worst is not null && !t.WindowFailed;
        }

        return r;
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }

    private sealed record PreviousTotals(long Ok = 0, long Fail = 0, long ChecksPass = 0, long ChecksFail = 0, long Dropped = 0, Dictionary<string, long>? ErrorMap = null)
    {
        public Dictionary<string, long> Errors => ErrorMap ?? [];
    }

    private sealed class ThresholdState(string scenario, ThresholdSpec spec)
    {
        public string Scenario { get; } = scenario;

        public ThresholdSpec Spec { get; } = spec;

        public bool Live { get; set; } = true;

        public bool WindowFailed { get; set; }

        public double? FailedAt { get; set; }

        public double? Worst { get; private set; }

        public void Observe(double value)
        {
            // "Worst" is the value furthest on the failing side of the bound.
            var upper = Spec.Parsed.Operator is "<" or "<=";
            Worst = Worst is null ? value : upper ? Math.Max(Worst.Value, value) : Math.Min(Worst.Value, value);
        }
    }

    private sealed class RunData(ScenarioStats stats, double seconds) : IThresholdData
    {
        public double Seconds => seconds;

        public HistogramSnapshot Latency(string? step, bool service)
        {
            var series = step is null ? stats.Iterations : stats.Steps.FirstOrDefault(s => s.Step == step);
            if (series is null)
            {
                return HistogramSnapshot.Empty;
            }

            return service ? series.OkService.Snapshot() : series.OkResponse.Snapshot();
        }

        public (long Ok, long Fail) Counts(string? step)
        {
            var series = step is null ? stats.Iterations : stats.Steps.FirstOrDefault(s => s.Step == step);
            return series is null ? (0, 0) : (series.Ok, series.Fail);
        }

        public (long Pass, long Fail) Checks() =>
            (stats.Checks.Values.Sum(c => Interlocked.Read(ref c.Pass)), stats.Checks.Values.Sum(c => Interlocked.Read(ref c.Fail)));

        public long Dropped() => stats.Dropped;

        public long Business(string eventName, string? outcome) =>
            stats.Business.Where(kv => kv.Key.Event == eventName && (outcome is null || kv.Key.Outcome == outcome)).Sum(kv => Interlocked.Read(ref kv.Value.Value));
    }

    private sealed class WindowData(IntervalPoint point) : IThresholdData
    {
        public double Seconds => point.Seconds;

        public HistogramSnapshot Latency(string? step, bool service) => service ? point.OkService : point.OkResponse;

        public (long Ok, long Fail) Counts(string? step) => (point.Ok, point.Fail);

        public (long Pass, long Fail) Checks() => (point.ChecksPass, point.ChecksFail);

        public long Dropped() => point.Dropped;

        public long Business(string eventName, string? outcome) => 0;
    }
}
