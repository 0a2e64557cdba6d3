using LoadLab.Chaos.Faults;
using LoadLab.Chaos.Proxy;
using LoadLab.Engine.Running;
using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Chaos.GameDays;

/// <summary>Options of one game-day run.</summary>
public sealed class GameDayRunOptions
{
    /// <summary>Gets or sets the game day.</summary>
    public required GameDaySpec Spec { get; set; }

    /// <summary>Gets or sets the engine options of the load (scenarios, labels, sinks); its observer is kept and chained.</summary>
    public required RunOptions Run { get; set; }

    /// <summary>Gets or sets where journal.json and journal.md are written; null writes nothing.</summary>
    public string? JournalDirectory { get; set; }

    /// <summary>Gets or sets where progress lines go.</summary>
    public TextWriter Log { get; set; } = TextWriter.Null;

    /// <summary>Gets or sets the clock of the timeline.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets environment variables (admin tokens of running proxies).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();

    /// <summary>Gets or sets fault targets supplied by the caller, by name; they win over <see cref="GameDaySpec.Targets"/>.</summary>
    public IReadOnlyList<IFaultTarget> ExtraTargets { get; set; } = [];
}

/// <summary>The outcome of a game day.</summary>
/// <param name="Journal">The journal.</param>
/// <param name="Result">The result of the load, with the fault windows.</param>
/// <param name="ExitCode">0 when the hypothesis held, 4 when it did not, 3 when interrupted.</param>
public sealed record GameDayOutcome(GameDayJournal Journal, RunResult Result, int ExitCode);

/// <summary>
/// Runs a game day: load, the steady-state hypothesis checked before (abort, nothing injected, when not steady),
/// during (deviations recorded) and after (recovery within the deadline) a timeline of faults that is always rolled back.
/// </summary>
public static class GameDayRunner
{
    /// <summary>Exit code when the hypothesis held (DESIGN.md exit codes).</summary>
    public const int HeldExitCode = 0;

    /// <summary>Exit code when Ctrl+C stopped the game day.</summary>
    public const int InterruptedExitCode = 3;

    /// <summary>Exit code when the hypothesis did not hold (not steady before, deviated, recovered late).</summary>
    public const int NotHeldExitCode = 4;

    /// <summary>Runs a game day.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the day; faults are still rolled back and the journal written.</param>
    /// <returns>The journal, the result and the exit code.</returns>
    /// <exception cref="ChaosProxyException">A proxy of the game day could not start.</exception>
    /// <exception cref="FaultSpecException">A target has no admin token.</exception>
    public static async Task<GameDayOutcome> RunAsync(GameDayRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var day = new Day(options);
        return await day.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Day(GameDayRunOptions options)
    {
        private readonly GameDaySpec _spec = options.Spec;
        private readonly TimeProvider _time = options.TimeProvider;
        private readonly GameDayJournal _journal = new();
        private readonly Dictionary<string, IFaultTarget> _targets = new(StringComparer.Ordinal);
        private readonly List<(FaultAction Action, FaultWindow Window)> _windows = [];
        private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
        private DateTimeOffset _start;
        private DateTimeOffset? _methodStart;
        private DateTimeOffset? _methodEnd;

        public async Task<GameDayOutcome> RunAsync(CancellationToken cancellationToken)
        {
            _start = _time.GetUtcNow();
            _journal.Name = _spec.Name;
            _journal.RunId = options.Run.RunId;
            _journal.Hypothesis = _spec.Hypothesis;
            _journal.Probes = [.. _spec.Probes.Select(p => new JournalProbe(p.Name, p.Describe()))];
            _journal.RecoveryDeadlineSeconds = _spec.Recovery.TotalSeconds;
            _journal.StartedAt = _start;

            await OpenTargetsAsync(cancellationToken).ConfigureAwait(false);
            var live = new LiveStatistics(options.Run.Observer);
            options.Run.Observer = live;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var probes = new ProbeRunner(_spec, live, http);
            using var load = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Event("load started");
            var engine = LoadEngine.RunAsync(options.Run, load.Token);
            var interrupted = false;
            Exception? crash = null;
            try
            {
                await RunPhasesAsync(engine, live, probes, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                Abort("interrupted (Ctrl+C)");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                crash = e;
                Abort("crashed: " + e.Message);
            }
            finally
            {
                // Rollbacks always run: on success, Ctrl+C, abort and crash.
                await RollBackAsync().ConfigureAwait(false);
                foreach (var target in _targets.Values)
                {
                    await target.DisposeAsync().ConfigureAwait(false);
                }
            }

            // The day decides when the load ends; a load planned longer is stopped here.
            await load.CancelAsync().ConfigureAwait(false);
            RunResult result;
            try
            {
                result = await engine.ConfigureAwait(false);
            }
            catch (Exception e) when (crash is null && e is not OutOfMemoryException)
            {
                crash = e;
                Abort("the load crashed: " + e.Message);
                result = new RunResult { RunId = options.Run.RunId, Profile = options.Run.Profile, StartedAt = _start, EndedAt = _time.GetUtcNow() };
            }

            Event("load stopped");
            _journal.EndedAt = _time.GetUtcNow();
            Finish(result, interrupted);
            if (options.JournalDirectory is { } directory)
            {
                _journal.Write(directory);
            }

            if (crash is not null)
            {
                throw new InvalidOperationException($"The game day '{_spec.Name}' crashed; faults were rolled back and the journal written.", crash);
            }

            var exit = interrupted ? InterruptedExitCode : _journal.Verdict == GameDayVerdicts.Steady ? HeldExitCode : NotHeldExitCode;
            return new GameDayOutcome(_journal, result, exit);
        }

        private async Task RunPhasesAsync(Task<RunResult> engine, LiveStatistics live, ProbeRunner probes, CancellationToken ct)
        {
            // Before: let the load settle, then the system must be steady or nothing is injected.
            var deadline = _time.GetUtcNow() + _spec.SteadyFor + TimeSpan.FromMinutes(5);
            while (!(live.Elapsed >= _spec.SteadyFor))
            {
                EnsureLoadRunning(engine);
                if (_time.GetUtcNow() > deadline)
                {
                    throw new TimeoutException("the load did not start measuring within 5 minutes");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, ct).ConfigureAwait(false);
            }

            // A statistic without data yet (the first iterations still running) is not a verdict: wait a little for it.
            var dataDeadline = _time.GetUtcNow() + Max(_spec.SteadyFor, TimeSpan.FromSeconds(5));
            while (await NoDataYetAsync(probes, ct).ConfigureAwait(false) && _time.GetUtcNow() < dataDeadline)
            {
                EnsureLoadRunning(engine);
                await Task.Delay(TimeSpan.FromMilliseconds(250), _time, ct).ConfigureAwait(false);
            }

            if (!await CheckAsync(probes, "before", ct).ConfigureAwait(false))
            {
                Abort("not steady before the method; nothing was injected");
                return;
            }

            Event("steady state confirmed");

            // During: apply and remove faults on time; check the probes every interval and record deviations.
            _methodStart = _time.GetUtcNow();
            Event("method started");
            var starts = _spec.Method.Select(a => (At: a.At, Action: a, Start: true));
            var ends = _spec.Method.Select(a => (At: a.At + a.For, Action: a, Start: false));
            var events = new Queue<(TimeSpan At, FaultAction Action, bool Start)>(starts.Concat(ends).OrderBy(e => e.At).ThenBy(e => e.Start));
            var active = new List<FaultAction>();
            var nextProbe = _spec.ProbeInterval;
            var methodLength = _spec.MethodLength;
            while (events.Count > 0)
            {
                var now = _time.GetUtcNow() - _methodStart.Value;
                while (events.Count > 0 && events.Peek().At <= now)
                {
                    var (_, action, start) = events.Dequeue();
                    if (start)
                    {
                        active.Add(action);
                    }
                    else
                    {
                        active.Remove(action);
                    }

                    await ApplyAsync(action.Target, active, ct).ConfigureAwait(false);
                    await RecordWindowAsync(action, start, ct).ConfigureAwait(false);
                }

                if (events.Count == 0)
                {
                    break;
                }

                if (now >= nextProbe && now < methodLength)
                {
                    EnsureLoadRunning(engine);
                    await CheckAsync(probes, "during", ct).ConfigureAwait(false);
                    nextProbe = now + _spec.ProbeInterval;
                }

                var wait = Min(events.Peek().At, nextProbe) - (_time.GetUtcNow() - _methodStart.Value);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(Min(wait, TimeSpan.FromSeconds(1)), _time, ct).ConfigureAwait(false);
                }
            }

            _methodEnd = _time.GetUtcNow();
            Event("method ended; every fault removed");

            // After: every probe must hold again within the recovery deadline.
            while (true)
            {
                EnsureLoadRunning(engine);
                var since = _time.GetUtcNow() - _methodEnd.Value;
                if (await CheckAsync(probes, "after", ct).ConfigureAwait(false))
                {
                    _journal.RecoveredAfterSeconds = Math.Round(since.TotalSeconds, 1);
                    Event($"recovered: every probe holds again after {since.TotalSeconds:0.0} s");
                    break;
                }

                if (since + _spec.ProbeInterval > _spec.Recovery)
                {
                    Event($"not recovered within {FaultDuration.Format(_spec.Recovery)}");
                    break;
                }

                await Task.Delay(_spec.ProbeInterval, _time, ct).ConfigureAwait(false);
            }
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        private async Task<bool> NoDataYetAsync(ProbeRunner probes, CancellationToken ct)
        {
            foreach (var probe in _spec.Probes.Where(p => p.Kind == ProbeKind.Statistic))
            {
                if ((await probes.CheckAsync(probe, ct).ConfigureAwait(false)).Observed == ProbeRunner.NoData)
                {
                    return true;
                }
            }

            return false;
        }

        private static void EnsureLoadRunning(Task<RunResult> engine)
        {
            if (engine.IsCompleted)
            {
                throw new InvalidOperationException("the load ended before the game day did; make the scenarios' load last at least steady_for + the method + recovery");
            }
        }

        private async Task<bool> CheckAsync(ProbeRunner probes, string phase, CancellationToken ct)
        {
            var all = true;
            foreach (var probe in _spec.Probes)
            {
                var (passed, observed) = await probes.CheckAsync(probe, ct).ConfigureAwait(false);
                var at = _time.GetUtcNow();
                var check = new JournalCheck(at, Offset(at), phase, probe.Name, passed, observed, probe.Describe());
                _journal.Checks.Add(check);
                if (!passed)
                {
                    all = false;
                    if (phase != "after")
                    {
                        _journal.Deviations.Add(check);
                    }

                    await options.Log.WriteLineAsync($"  {phase}: probe {probe.Name} failed: {observed} (expected {probe.Describe()})").ConfigureAwait(false);
                }
            }

            return all;
        }

        private async Task OpenTargetsAsync(CancellationToken ct)
        {
            foreach (var extra in options.ExtraTargets)
            {
                _targets[extra.Name] = extra;
            }

            foreach (var target in _spec.Targets.Where(t => !_targets.ContainsKey(t.Name)))
            {
                if (target.Admin is { } admin)
                {
                    var variable = target.TokenEnv ?? "LOADLAB_ADMIN_TOKEN";
                    if (!options.Environment.TryGetValue(variable, out var token) || token.Length == 0)
                    {
                        throw new FaultSpecException($"gameday.targets.{target.Name}: expected the admin token of {admin} in the environment variable {variable}");
                    }

                    _targets[target.Name] = new AdminApiTarget(target.Name, admin, token);
                }
                else
                {
                    var proxy = await ChaosProxy.StartAsync(new ChaosProxyOptions { Target = target.Target!, Listen = target.Listen ?? "127.0.0.1:0", Name = target.Name }, ct).ConfigureAwait(false);
                    _targets[target.Name] = new InProcessProxyTarget(proxy, target.Name, owned: true);
                    Event($"proxy '{target.Name}' started on {proxy.Url} -> {target.Target}");
                }
            }
        }

        private async Task ApplyAsync(string target, List<FaultAction> active, CancellationToken ct)
        {
            var faults = active.Where(a => a.Target == target).Select(a => a.Fault).ToList();
            _touched.Add(target);
            await _targets[target].ApplyAsync(faults, ct).ConfigureAwait(false);
        }

        private async Task RecordWindowAsync(FaultAction action, bool start, CancellationToken ct)
        {
            var now = _time.GetUtcNow();
            if (start)
            {
                _windows.Add((action, new FaultWindow { Name = action.Fault.Name, Target = action.Target, Kind = FaultConstants.KindName(action.Fault.Kind), Start = now }));
                Event($"fault '{action.Fault.Name}' on '{action.Target}': {Describe(action.Fault)}");
            }
            else
            {
                var window = _windows.Last(w => ReferenceEquals(w.Action, action)).Window;
                window.End = now;
                window.Injected = await _targets[action.Target].InjectedAsync(action.Fault.Name, ct).ConfigureAwait(false);
                Event($"fault '{action.Fault.Name}' on '{action.Target}' removed" + (window.Injected is { } n ? $" ({n} injected)" : ""));
            }
        }

        private async Task RollBackAsync()
        {
            var open = _windows.Where(w => w.Window.End is null).ToList();

            // Every target the method touched is cleared, even if its last change seemed to fail; untouched ones hold nothing of ours.
            foreach (var target in _targets.Values.Where(t => _touched.Contains(t.Name)))
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await target.ApplyAsync([], timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    Event($"ROLLBACK FAILED on '{target.Name}': {e.Message}; remove its faults by hand (DELETE /faults)");
                }
            }

            foreach (var (action, window) in open)
            {
                window.End = _time.GetUtcNow();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                window.Injected = await _targets[action.Target].InjectedAsync(action.Fault.Name, timeout.Token).ConfigureAwait(false);
            }

            if (open.Count > 0)
            {
                Event($"rolled back {open.Count} active fault(s)");
            }
        }

        private void Abort(string reason)
        {
            _journal.Verdict = GameDayVerdicts.Aborted;
            _journal.AbortReason ??= reason;
            Event("aborted: " + reason);
        }

        private void Finish(RunResult result, bool interrupted)
        {
            if (_journal.AbortReason is null)
            {
                _journal.Verdict = _journal.RecoveredAfterSeconds is null ? GameDayVerdicts.RecoveredLate
                    : _journal.Deviations.Count > 0 ? GameDayVerdicts.Deviated
                    : GameDayVerdicts.Steady;
            }

            result.Faults.AddRange(_windows.Select(w => w.Window));
            result.Status = interrupted ? RunStatus.Interrupted
                : _journal.Verdict == GameDayVerdicts.Steady ? RunStatus.Passed
                : _journal.AbortReason is not null ? RunStatus.Aborted
                : RunStatus.Failed;
            result.Error = _journal.Verdict == GameDayVerdicts.Steady ? null : $"game day verdict: {_journal.Verdict}" + (_journal.AbortReason is { } r ? $" ({r})" : "");
            _journal.Observations = Observe(result);
        }

        private List<PhaseObservation> Observe(RunResult result)
        {
            var phases = new List<(string Name, double From, double To)>();
            double Seconds(DateTimeOffset at) => (at - result.StartedAt).TotalSeconds;
            var end = result.Timeline.Count == 0 ? 0 : result.Timeline.Max(p => p.T);
            if (_methodStart is { } methodStart)
            {
                phases.Add(("before", 0, Seconds(methodStart)));
                phases.Add(("during", Seconds(methodStart), _methodEnd is { } me ? Seconds(me) : end));
                if (_methodEnd is { } methodEnd)
                {
                    phases.Add(("after", Seconds(methodEnd), end));
                }
            }
            else
            {
                phases.Add(("before", 0, end));
            }

            var observations = new List<PhaseObservation>();
            foreach (var (name, from, to) in phases)
            {
                foreach (var scenario in result.Timeline.Select(p => p.Scenario).Distinct(StringComparer.Ordinal))
                {
                    // A one-second point (T-1, T] belongs to the phase that holds its middle.
                    var points = result.Timeline.Where(p => p.Scenario == scenario && p.T - 0.5 >= from && p.T - 0.5 < to).ToList();
                    var ok = points.Sum(p => p.Ok);
                    var fail = points.Sum(p => p.Fail);
                    var histogram = HistogramSnapshot.Merge(points.Where(p => p.Histogram.Length > 0).Select(p => HistogramSnapshot.FromBase64(p.Histogram)));
                    double Percentile(double q) => histogram.IsEmpty ? 0 : histogram.GetValueAtPercentile(q) / 1_000_000.0;
                    var seconds = Math.Max(points.Count, 1);
                    observations.Add(new PhaseObservation(name, scenario, ok + fail, ok + fail == 0 ? 0 : (double)fail / (ok + fail), Percentile(50), Percentile(95), Percentile(99), (ok + fail) / (double)seconds));
                }
            }

            return observations;
        }

        private static string Describe(FaultSpec fault) => fault.Kind switch
        {
            FaultKind.Latency => $"+{fault.Latency} on {Percent(fault.Rate)}",
            FaultKind.Status => $"{fault.Status!.Code} on {Percent(fault.Rate)}",
            FaultKind.Abort => $"connection reset on {Percent(fault.Rate)}",
            FaultKind.Hang => $"hang up to {FaultDuration.Format(fault.Hang!.Value)} on {Percent(fault.Rate)}",
            _ => $"response replaced by {fault.Outcome!.Code} on {Percent(fault.Rate)}",
        } + (fault.Match is { } m ? $" of {m.Method ?? "*"} {m.Path ?? "/"}" : "");

        private static string Percent(double rate) => (rate * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

        private double Offset(DateTimeOffset at) => Math.Round((at - _start).TotalSeconds, 1);

        private void Event(string text)
        {
            var at = _time.GetUtcNow();
            _journal.Timeline.Add(new JournalEvent(at, Offset(at), text));
            options.Log.WriteLine($"[+{Offset(at):0.0}s] {text}");
        }
    }
}
