using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LoadLab.Histograms;

namespace LoadLab.Engine.Measurement;

/// <summary>Everything measured for one scenario during the measured part of a run.</summary>
internal sealed class ScenarioStats
{
    private readonly ConcurrentDictionary<string, SeriesStats> _steps = new(StringComparer.Ordinal);
    private long _dropped;
    private int _inFlight;
    private int _maxInFlight;

    public ScenarioStats(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public SeriesStats Iterations { get; } = new(null);

    public IntervalHistogram IntervalResponse { get; } = new();

    public IntervalHistogram IntervalService { get; } = new();

    public ConcurrentDictionary<string, CheckCounter> Checks { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<(string Event, string Outcome), StrongBox<long>> Business { get; } = new();

    public IEnumerable<SeriesStats> Steps => _steps.Values;

    public long Dropped => Volatile.Read(ref _dropped);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public SeriesStats Step(string name) => _steps.GetOrAdd(name, static n => new SeriesStats(n));

    public void AddDropped(long n) => Interlocked.Add(ref _dropped, n);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        var max = Volatile.Read(ref _maxInFlight);
        while (now > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, now, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void Count(string eventName, string outcome, long count)
    {
        var box = Business.GetOrAdd((eventName, outcome), static _ => new StrongBox<long>());
        Interlocked.Add(ref box.Value, count);
    }

    public void Check(string name, bool passed)
    {
        var counter = Checks.GetOrAdd(name, static _ => new CheckCounter());
        if (passed)
        {
            Interlocked.Increment(ref counter.Pass);
        }
        else
        {
            Interlocked.Increment(ref counter.Fail);
        }
    }
}

internal sealed class CheckCounter
{
#pragma warning disable SA1401, CA1051 // Interlocked needs fields.
    public long Pass;
    public long Fail;
#pragma warning restore SA1401, CA1051
}

/// <summary>The last seconds of a scenario, for windowed thresholds and the live view.</summary>
internal sealed class IntervalWindow
{
    private readonly int _capacity;
    private readonly Queue<IntervalPoint> _points = new();

    public IntervalWindow(int capacitySeconds)
    {
        _capacity = Math.Max(1, capacitySeconds);
    }

    public void Add(IntervalPoint point)
    {
        _points.Enqueue(point);
        while (_points.Count > _capacity)
        {
            _points.Dequeue();
        }
    }

    public IntervalPoint Aggregate(int seconds)
    {
        var take = _points.Skip(Math.Max(0, _points.Count - seconds)).ToList();
        return new IntervalPoint(
            HistogramSnapshot.Merge(take.Select(p => p.OkResponse)),
            HistogramSnapshot.Merge(take.Select(p => p.OkService)),
            take.Sum(p => p.Ok),
            take.Sum(p => p.Fail),
            take.Sum(p => p.Seconds),
            take.Sum(p => p.ChecksPass),
            take.Sum(p => p.ChecksFail),
            take.Sum(p => p.Dropped));
    }

    public IntervalPoint? Last => _points.Count == 0 ? null : _points.Last();
}

internal sealed record IntervalPoint(
    HistogramSnapshot OkResponse,
    HistogramSnapshot OkService,
    long Ok,
    long Fail,
    double Seconds,
    long ChecksPass,
    long ChecksFail,
    long Dropped);
