using LoadLab.Histograms;

namespace LoadLab.Metrics;

/// <summary>The type of a metric, as Prometheus and OpenMetrics know it.</summary>
public enum MetricKind
{
    /// <summary>A monotonic total (names end in <c>_total</c>).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>A distribution of latencies; <see cref="MetricSample.Histogram"/> holds it in microseconds.</summary>
    Histogram,
}

/// <summary>
/// One value of one series at one instant, as the engine publishes it to telemetry sinks every
/// second. Counters and histograms are cumulative since the start of the measured run.
/// </summary>
public readonly struct MetricSample
{
    /// <summary>Initializes a new instance of the <see cref="MetricSample"/> struct for a counter or gauge.</summary>
    /// <param name="name">The metric name (from <see cref="MetricNames"/>).</param>
    /// <param name="kind">The kind.</param>
    /// <param name="labels">The labels.</param>
    /// <param name="value">The value.</param>
    /// <param name="timestamp">When the value was taken.</param>
    public MetricSample(string name, MetricKind kind, LabelSet labels, double value, DateTimeOffset timestamp)
    {
        Name = name;
        Kind = kind;
        Labels = labels;
        Value = value;
        Timestamp = timestamp;
        Histogram = null;
        Exemplars = [];
    }

    /// <summary>Initializes a new instance of the <see cref="MetricSample"/> struct for a histogram.</summary>
    /// <param name="name">The metric name (from <see cref="MetricNames"/>).</param>
    /// <param name="labels">The labels.</param>
    /// <param name="histogram">The cumulative distribution, in microseconds.</param>
    /// <param name="exemplars">Exemplars observed since the previous sample.</param>
    /// <param name="timestamp">When the value was taken.</param>
    public MetricSample(string name, LabelSet labels, HistogramSnapshot histogram, Exemplar[] exemplars, DateTimeOffset timestamp)
    {
        Name = name;
        Kind = MetricKind.Histogram;
        Labels = labels;
        Histogram = histogram;
        Value = histogram.TotalCount;
        Exemplars = exemplars;
        Timestamp = timestamp;
    }

    /// <summary>Gets the metric name.</summary>
    public string Name { get; }

    /// <summary>Gets the kind.</summary>
    public MetricKind Kind { get; }

    /// <summary>Gets the labels, run labels included.</summary>
    public LabelSet Labels { get; }

    /// <summary>Gets the value (for a histogram, its count).</summary>
    public double Value { get; }

    /// <summary>Gets the cumulative distribution in microseconds, for a histogram.</summary>
    public HistogramSnapshot? Histogram { get; }

    /// <summary>Gets exemplars (trace ids of sampled iterations) observed since the previous sample.</summary>
    public Exemplar[] Exemplars { get; }

    /// <summary>Gets when the value was taken.</summary>
    public DateTimeOffset Timestamp { get; }
}

/// <summary>A latency observation that links a histogram bucket to a trace.</summary>
/// <param name="ValueSeconds">The observed value in seconds.</param>
/// <param name="TraceId">The W3C trace id (32 hex digits).</param>
/// <param name="SpanId">The span id (16 hex digits).</param>
/// <param name="Timestamp">When it was observed.</param>
public readonly record struct Exemplar(double ValueSeconds, string TraceId, string SpanId, DateTimeOffset Timestamp);

/// <summary>An immutable, ordered set of label names and values.</summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly KeyValuePair<string, string>[] _pairs;
    private readonly int _hash;

    /// <summary>Gets the empty set.</summary>
    public static LabelSet Empty { get; } = new([]);

    private LabelSet(KeyValuePair<string, string>[] pairs)
    {
        _pairs = pairs;
        var hash = default(HashCode);
        foreach (var p in pairs)
        {
            hash.Add(p.Key, StringComparer.Ordinal);
            hash.Add(p.Value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>Gets the pairs, ordered by name.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>Gets the number of labels.</summary>
    public int Count => _pairs.Length;

    /// <summary>Gets the names, ordered.</summary>
    public IEnumerable<string> Names => _pairs.Select(p => p.Key);

    /// <summary>Creates a set; empty values are left out, later duplicates win.</summary>
    /// <param name="pairs">Names and values.</param>
    /// <returns>The set.</returns>
    public static LabelSet From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in pairs)
        {
            if (!string.IsNullOrEmpty(p.Value))
            {
                map[p.Key] = p.Value;
            }
            else
            {
                map.Remove(p.Key);
            }
        }

        return new LabelSet(map.ToArray());
    }

    /// <summary>Creates a set from name/value tuples.</summary>
    /// <param name="pairs">Names and values.</param>
    /// <returns>The set.</returns>
    public static LabelSet Of(params (string Name, string Value)[] pairs) =>
        From(pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    /// <summary>Returns this set with more labels (replacing same names).</summary>
    /// <param name="pairs">Names and values.</param>
    /// <returns>The new set.</returns>
    public LabelSet With(params (string Name, string Value)[] pairs) =>
        From(_pairs.Concat(pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))));

    /// <summary>Returns this set without the named labels.</summary>
    /// <param name="names">The names to drop.</param>
    /// <returns>The new set.</returns>
    public LabelSet Without(params string[] names) =>
        new(_pairs.Where(p => !names.Contains(p.Key, StringComparer.Ordinal)).ToArray());

    /// <summary>Gets a label's value.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The value, or null.</returns>
    public string? this[string name]
    {
        get
        {
            foreach (var p in _pairs)
            {
                if (string.Equals(p.Key, name, StringComparison.Ordinal))
                {
                    return p.Value;
                }
            }

            return null;
        }
    }

    /// <inheritdoc/>
    public bool Equals(LabelSet? other)
    {
        if (other is null || other._hash != _hash || other._pairs.Length != _pairs.Length)
        {
            return false;
        }

        for (var i = 0; i < _pairs.Length; i++)
        {
            if (!string.Equals(_pairs[i].Key, other._pairs[i].Key, StringComparison.Ordinal) ||
                !string.Equals(_pairs[i].Value, other._pairs[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(",", _pairs.Select(p => $"{p.Key}=\"{p.Value}\"")) + "}";
}
