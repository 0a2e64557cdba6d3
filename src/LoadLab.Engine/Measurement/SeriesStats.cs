using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LoadLab.Metrics;

namespace LoadLab.Engine.Measurement;

/// <summary>
/// Counts and latencies of one series: a scenario's iterations or one of its steps. Recording is
/// lock-free (Interlocked and concurrent HdrHistograms), so the hot path never waits.
/// </summary>
internal sealed class SeriesStats
{
    private long _ok;
    private long _fail;
    private long _bytesSent;
    private long _bytesReceived;

    public SeriesStats(string? step)
    {
        Step = step;
    }

    public string? Step { get; }

    public LatencyHistogram OkResponse { get; } = new();

    public LatencyHistogram OkService { get; } = new();

    public LatencyHistogram FailResponse { get; } = new();

    public LatencyHistogram FailService { get; } = new();

    public ConcurrentDictionary<string, StrongBox<long>> Errors { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StrongBox<long>> StatusCodes { get; } = new(StringComparer.Ordinal);

    public ExemplarReservoir OkExemplars { get; } = new();

    public ExemplarReservoir FailExemplars { get; } = new();

    public long Ok => Volatile.Read(ref _ok);

    public long Fail => Volatile.Read(ref _fail);

    public long BytesSent => Volatile.Read(ref _bytesSent);

    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    public void Record(bool ok, long responseMicros, long serviceMicros, long pacingMicros, string? errorKind, string? statusCode, long sent, long received)
    {
        if (ok)
        {
            Interlocked.Increment(ref _ok);
            if (pacingMicros > 0)
            {
                OkResponse.RecordCorrected(responseMicros, pacingMicros);
            }
            else
            {
                OkResponse.Record(responseMicros);
            }

            OkService.Record(serviceMicros);
        }
        else
        {
            Interlocked.Increment(ref _fail);
            FailResponse.Record(responseMicros);
            FailService.Record(serviceMicros);
            Increment(Errors, errorKind ?? MetricNames.ErrorKinds.Exception);
        }

        if (statusCode is not null)
        {
            Increment(StatusCodes, statusCode);
        }

        if (sent != 0)
        {
            Interlocked.Add(ref _bytesSent, sent);
        }

        if (received != 0)
        {
            Interlocked.Add(ref _bytesReceived, received);
        }
    }

    public static void Increment(ConcurrentDictionary<string, StrongBox<long>> map, string key, long by = 1)
    {
        var box = map.GetOrAdd(key, static _ => new StrongBox<long>());
        Interlocked.Add(ref box.Value, by);
    }

    public static Dictionary<string, long> Copy(ConcurrentDictionary<string, StrongBox<long>> map) =>
        map.ToDictionary(kv => kv.Key, kv => Volatile.Read(ref kv.Value.Value), StringComparer.Ordinal);
}

/// <summary>Keeps a few exemplars per publishing interval: the slowest sampled observations.</summary>
internal sealed class ExemplarReservoir
{
    private const int Capacity = 8;
    private readonly Lock _lock = new();
    private readonly List<Exemplar> _items = new(Capacity);

    public void Offer(Exemplar exemplar)
    {
        lock (_lock)
        {
            if (_items.Count < Capacity)
            {
                _items.Add(exemplar);
                return;
            }

            var min = 0;
            for (var i = 1; i < _items.Count; i++)
            {
                if (_items[i].ValueSeconds < _items[min].ValueSeconds)
                {
                    min = i;
                }
            }

            if (exemplar.ValueSeconds > _items[min].ValueSeconds)
            {
                _items[min] = exemplar;
            }
        }
    }

    public Exemplar[] Take()
    {
        lock (_lock)
        {
            if (_items.Count == 0)
            {
                return [];
            }

            var result = _items.ToArray();
            _items.Clear();
            return result;
        }
    }
}
