using System.Collections.Concurrent;
using System.Diagnostics;
using LoadLab.Engine.Measurement;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Simulations;
using LoadLab.Engine.Tracing;
using LoadLab.Metrics;
using LoadLab.Telemetry;

namespace LoadLab.Engine.Scheduling;

/// <summary>
/// Drives one scenario. The run's scheduler thread calls <see cref="Tick"/> about every millisecond;
/// each tick launches every open-model iteration whose intended start has come (no per-iteration
/// timer) and adjusts the closed model's virtual users. An iteration that cannot start on time (the
/// max_concurrency cap, a busy generator) starts late, and its response time counts from the intended
/// start: this is how coordinated omission is avoided.
/// </summary>
internal sealed class ScenarioRunner
{
    private static readonly ActivitySource s_source = Step.Source;

    private readonly ScenarioProps _props;
    private readonly LoadPlan _plan;
    private readonly ScenarioStats _stats;
    private readonly ScenarioRuntime _runtime;
    private readonly LatencyHistogram _lateness;
    private readonly Lock _launchLock = new();
    private readonly List<(ArrivalCursor Cursor, double PhaseStart)> _cursors = [];
    private readonly List<VirtualUser> _users = [];
    private readonly ConcurrentStack<int> _freeSlots = new();
    private readonly long _pacingMicros;
    private readonly string _iterationSpanName;
    private readonly TailExport? _tail;

    private bool _measuring;
    private long _epochStart;
    private int _phaseIndex = -1;
    private double _phaseStart;
    private long _iterationBudget;
    private long _iterationNumber;
    private int _inFlight;
    private int _nextSlot;
    private int _nextUserId;
    private long _measureStartTimestamp;
    private long _loadEndTimestamp;

    /// <summary>Initializes a new instance of the <see cref="ScenarioRunner"/> class.</summary>
    /// <param name="props">The scenario.</param>
    /// <param name="plan">Its load plan (its segment's share); the warm-up runs the same plan from its own start.</param>
    /// <param name="runtime">What its iterations share.</param>
    /// <param name="lateness">The run's launch-lateness histogram.</param>
    /// <param name="tail">The tail export the sinks asked for, or null.</param>
    public ScenarioRunner(ScenarioProps props, LoadPlan plan, ScenarioRuntime runtime, LatencyHistogram lateness, TailExport? tail)
    {
        _props = props;
        _plan = plan;
        _tail = tail;
        _runtime = runtime;
        _lateness = lateness;
        _stats = new ScenarioStats(props.Name);
        _pacingMicros = (long)props.Pacing.TotalMicroseconds;
        _iterationSpanName = "iteration " + props.Name;
    }

    public string Name => _props.Name;

    public ScenarioProps Props => _props;

    public ScenarioStats Stats => _stats;

    public LoadPlan Plan => _plan;

    /// <summary>Gets a value indicating whether the load is over (in-flight iterations may still run).</summary>
    public bool LoadFinished { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int ActiveUsers { get; private set; }

    public double CurrentTargetRate { get; private set; }

    public long MeasureStartTimestamp => _measureStartTimestamp;

    public long LoadEndTimestamp => _loadEndTimestamp;

    /// <summary>Starts the warm-up (if any) at <paramref name="warmUpStart"/> and measuring at <paramref name="measureStart"/>.</summary>
    public void Begin(long warmUpStart, long measureStart)
    {
        _measureStartTimestamp = measureStart;
        if (_props.WarmUp > TimeSpan.Zero)
        {
            _epochStart = warmUpStart;
            _measuring = false;
        }
        else
        {
            _epochStart = measureStart;
            _measuring = true;
        }
    }

    public void Tick(long now)
    {
        if (LoadFinished || now < _epochStart)
        {
            return;
        }

        if (!_measuring && now >= _measureStartTimestamp)
        {
            // Warm-up over: arrivals still pending belong to the warm-up and are not reported.
            lock (_launchLock)
            {
                _cursors.Clear();
            }

            _epochStart = _measureStartTimestamp;
            _measuring = true;
            _phaseIndex = -1;
        }

        var t = Stopwatch.GetElapsedTime(_epochStart, now).TotalSeconds;
        AdvancePhases(t);
        if (_phaseIndex >= _plan.Phases.Count)
        {
            if (_measuring)
            {
                // A late tick must not turn due arrivals into drops: launch them (late) first; only
                // those the concurrency cap still holds back are dropped.
                LaunchDue(now);
                FinishLoad(now);
                return;
            }

            // Warm-up shorter than its plan is cut; a longer one waits for the measured start.
            StopUsers(0);
            return;
        }

        var phase = _plan.Phases[_phaseIndex];
        CurrentTargetRate = _plan.TargetRateAt(phase, t - _phaseStart);
        if (phase.Simulation.IsClosed)
        {
            var wanted = phase.Simulation is IterationsForConstant
                ? (Interlocked.Read(ref _iterationBudget) > 0 ? phase.StartCopies : 0)
                : _plan.CopiesAt(phase, t - _phaseStart);
            AdjustUsers(wanted);
        }
        else
        {
            StopUsers(0);
        }

        LaunchDue(now);
    }

    private void AdvancePhases(double t)
    {
        while (true)
        {
            if (_phaseIndex >= 0 && _phaseIndex < _plan.Phases.Count)
            {
                var current = _plan.Phases[_phaseIndex];
                if (current.Simulation is IterationsForConstant)
                {
                    if (Interlocked.Read(ref _iterationBudget) > 0 || ActiveUsersRunning() > 0)
                    {
                        return;
                    }

                    _phaseStart = t;
                }
                else
                {
                    var end = _phaseStart + current.Simulation.Duration!.Value.TotalSeconds;
                    if (t < end)
                    {
                        return;
                    }

                    _phaseStart = end;
                }
            }
            else if (_phaseIndex < 0)
            {
                _phaseStart = 0;
            }
            else
            {
                return;
            }

            _phaseIndex++;
            if (_phaseIndex >= _plan.Phases.Count)
            {
                return;
            }

            var phase = _plan.Phases[_phaseIndex];
            if (phase.Curve is not null)
            {
                lock (_launchLock)
                {
                    _cursors.Add((new ArrivalCursor(phase, _plan.Segment), _phaseStart));
                }
            }

            if (phase.Simulation is IterationsForConstant)
            {
                Interlocked.Exchange(ref _iterationBudget, phase.Iterations);
            }
        }
    }

    private int ActiveUsersRunning() => _users.Count(u => !u.Completed);

    /// <summary>Gets the timestamp of the next open-model arrival not yet launched, or long.MaxValue.</summary>
    public long NextDueTimestamp()
    {
        lock (_launchLock)
        {
            var next = long.MaxValue;
            foreach (var (cursor, phaseStart) in _cursors)
            {
                if (cursor.HasNext)
                {
                    next = Math.Min(next, _epochStart + (long)((phaseStart + cursor.NextTime) * Stopwatch.Frequency));
                }
            }

            return next;
        }
    }

    /// <summary>Launches every due arrival, up to the concurrency cap. Also called when an iteration ends under the cap.</summary>
    private void LaunchDue(long now)
    {
        if (_cursors.Count == 0)
        {
            return;
        }

        var cap = _props.MaxConcurrency;
        lock (_launchLock)
        {
            var t = Stopwatch.GetElapsedTime(_epochStart, now).TotalSeconds;
            for (var c = 0; c < _cursors.Count; c++)
            {
                var (cursor, phaseStart) = _cursors[c];
                while (cursor.HasNext)
                {
                    var due = phaseStart + cursor.NextTime;
                    if (due > t)
                    {
                        return;
                    }

                    if (cap > 0 && Volatile.Read(ref _inFlight) >= cap)
                    {
                        return;
                    }

                    var intended = _epochStart + (long)(due * Stopwatch.Frequency);
                    cursor.Advance();
                    Interlocked.Increment(ref _inFlight);
                    var work = new OpenIteration(this, intended, _measuring);
                    ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
                }

                if (!cursor.HasNext)
                {
                    _cursors.RemoveAt(c);
                    c--;
                }
            }
        }
    }

    private void FinishLoad(long now)
    {
        LoadFinished = true;
        _loadEndTimestamp = now;
        CurrentTargetRate = 0;
        StopUsers(0);
        long dropped = 0;
        lock (_launchLock)
        {
            // Due arrivals that never started before the load ended are dropped, and counted.
            foreach (var (cursor, _) in _cursors)
            {
                while (cursor.HasNext)
                {
                    cursor.Advance();
                    dropped++;
                }
            }

            _cursors.Clear();
        }

        if (dropped > 0)
        {
            _stats.AddDropped(dropped);
        }
    }

    /// <summary>Stops the load at once (threshold abort or interrupt); due arrivals are counted as dropped.</summary>
    public void Stop(long now)
    {
        if (!LoadFinished)
        {
            FinishLoad(now);
        }
    }

    public async Task WaitForInFlightAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while ((Volatile.Read(ref _inFlight) > 0 || _users.Any(u => !u.Completed)) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private void AdjustUsers(int wanted)
    {
        var running = _users.Where(u => !u.StopRequested).ToList();
        if (running.Count < wanted)
        {
            for (var i = running.Count; i < wanted; i++)
            {
                var user = new VirtualUser(_nextUserId++);
                _users.Add(user);
                user.Task = Task.Run(() => UserLoopAsync(user));
            }
        }
        else if (running.Count > wanted)
        {
            // The newest users leave first, after their current iteration.
            for (var i = running.Count - 1; i >= wanted; i--)
            {
                running[i].StopRequested = true;
            }
        }

        _users.RemoveAll(u => u.Completed);
        ActiveUsers = _users.Count(u => !u.StopRequested);
    }

    private void StopUsers(int keep)
    {
        if (_users.Count > keep)
        {
            AdjustUsers(keep);
        }

        ActiveUsers = _users.Count(u => !u.StopRequested);
    }

    private async Task UserLoopAsync(VirtualUser user)
    {
        try
        {
            var next = Stopwatch.GetTimestamp();
            var pacing = (long)(_props.Pacing.TotalSeconds * Stopwatch.Frequency);
            var sinceYield = 0;
            while (!user.StopRequested && !_runtime.CancellationToken.IsCancellationRequested)
            {
                if (_plan.Phases.Count > _phaseIndex && _phaseIndex >= 0 && _plan.Phases[_phaseIndex].Simulation is IterationsForConstant
                    && Interlocked.Decrement(ref _iterationBudget) < 0)
                {
                    break;
                }

                if (pacing > 0)
                {
                    var wait = next - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), _runtime.CancellationToken).ConfigureAwait(false);
                    }
                }

                var start = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _inFlight);
                var task = RunIterationAsync(start, user.Id, _measuring, pacingMicros: _pacingMicros);
                if (!task.IsCompleted)
                {
                    sinceYield = 0;
                    await task.ConfigureAwait(false);
                }
                else if (++sinceYield >= 64)
                {
                    // A scenario that completes synchronously would otherwise hold this thread forever.
                    sinceYield = 0;
                    await Task.Yield();
                }

                next = pacing > 0 ? Math.Max(start + pacing, Stopwatch.GetTimestamp()) : 0;
            }
        }
        catch (OperationCanceledException) when (_runtime.CancellationToken.IsCancellationRequested)
        {
            // The run is stopping.
        }
        finally
        {
            user.Completed = true;
        }
    }

    /// <summary>
    /// Tags and ends the root span. An unsampled iteration that ended healthy and fast is not exported, so it gets no
    /// tags and its deferred children are let go; one that failed or was slow gets its children materialized first.
    /// </summary>
    private void EndIterationSpan(Activity activity, IterationTrace? deferred, Response response, long number, int slot, long intended, long start, long end)
    {
        var responseSeconds = (end - intended) / (double)Stopwatch.Frequency;
        var exported = deferred is null
            || response.IsError
            || (_tail!.SlowThreshold is { } slow && responseSeconds >= slow.TotalSeconds);
        if (exported && activity.IsAllDataRequested)
        {
            activity.SetTag(TraceConventions.ScenarioTag, _props.Name);
            activity.SetTag(TraceConventions.RunIdTag, _runtime.RunId);
            activity.SetTag(TraceConventions.IterationTag, number);
            activity.SetTag(TraceConventions.VirtualUserTag, slot);
            activity.SetTag(TraceConventions.LatenessTag, (start - intended) / (double)Stopwatch.Frequency);
            activity.SetTag(TraceConventions.StatusTag, response.IsError ? "fail" : "ok");
            activity.SetTag(TraceConventions.ResponseTimeTag, responseSeconds);
            if (response.IsError)
            {
                activity.SetTag(TraceConventions.ErrorKindTag, response.ErrorKind);
                activity.SetStatus(ActivityStatusCode.Error, response.ErrorKind);
            }

            deferred?.Materialize(end);
        }

        activity.Dispose();
    }

    private int RentSlot() => _freeSlots.TryPop(out var slot) ? slot : Interlocked.Increment(ref _nextSlot) - 1;

    internal async Task RunIterationAsync(long intended, int virtualUser, bool measuring, long pacingMicros = 0)
    {
        var stats = measuring ? _stats : null;
        stats?.Enter();
        var start = Stopwatch.GetTimestamp();
        if (measuring && virtualUser < 0)
        {
            _lateness.Record(Step.Micros(start - intended));
        }

        var slot = virtualUser >= 0 ? virtualUser : RentSlot();
        var number = Interlocked.Increment(ref _iterationNumber) - 1;
        Activity? activity = null;
        IterationTrace? deferred = null;
        if (s_source.HasListeners())
        {
            // Every iteration is its own trace: never a child of whatever ran before on this thread.
            Activity.Current = null;
            activity = s_source.StartActivity(_iterationSpanName, ActivityKind.Internal, default(ActivityContext));
            if (activity is { Recorded: false, IsAllDataRequested: true } && _tail is not null)
            {
                // Not head-sampled, but exported if it fails or is slow: keep its children as data until then.
                deferred = new IterationTrace(activity, Stopwatch.GetTimestamp());
            }
        }

        var context = new ScenarioContext(_runtime, stats, number, slot, intended, activity, deferred);
        Response response;
        var cancelled = false;
        try
        {
            response = await _props.Run(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_runtime.CancellationToken.IsCancellationRequested)
        {
            response = Response.Fail(errorKind: MetricNames.ErrorKinds.Timeout);
            cancelled = true;
        }
        catch (Exception e)
        {
            response = Step.FromException(e);
        }
        finally
        {
            if (virtualUser < 0)
            {
                _freeSlots.Push(slot);
            }
        }

        var end = Stopwatch.GetTimestamp();
        // An iteration cut off by the run stopping is not a measurement of the target.
        if (stats is not null && !cancelled)
        {
            var responseMicros = Step.Micros(end - intended);
            var serviceMicros = Step.Micros(end - start);
            var ok = !response.IsError;
            stats.Iterations.Record(ok, responseMicros, serviceMicros, pacingMicros, response.ErrorKind, null, 0, 0);
            if (ok)
            {
                stats.IntervalResponse.Record(responseMicros);
                stats.IntervalService.Record(serviceMicros);
            }

            if (activity is { Recorded: true })
            {
                (ok ? stats.Iterations.OkExemplars : stats.Iterations.FailExemplars).Offer(
                    new Exemplar(responseMicros / 1e6, activity.TraceId.ToHexString(), activity.SpanId.ToHexString(), DateTimeOffset.UtcNow));
            }
        }

        if (activity is not null)
        {
            EndIterationSpan(activity, deferred, response, number, slot, intended, start, end);
        }

        stats?.Leave();
        Interlocked.Decrement(ref _inFlight);
        if (_props.MaxConcurrency > 0 && !LoadFinished)
        {
            // A slot freed under the cap: start the next late arrival now rather than at the next tick.
            LaunchDue(Stopwatch.GetTimestamp());
        }
    }

    private sealed class OpenIteration(ScenarioRunner runner, long intended, bool measuring) : IThreadPoolWorkItem
    {
        public void Execute() => _ = runner.RunIterationAsync(intended, -1, measuring);
    }

    private sealed class VirtualUser(int id)
    {
        public int Id { get; } = id;

        public volatile bool StopRequested;

        public volatile bool Completed;

        public Task? Task { get; set; }
    }
}
