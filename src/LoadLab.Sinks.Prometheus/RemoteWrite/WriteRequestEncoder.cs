using Google.Protobuf;
using LoadLab.Metrics;
using LoadLab.Sinks.Prometheus.Exposition;

namespace LoadLab.Sinks.Prometheus.RemoteWrite;

/// <summary>
/// Encodes snapshots as a Prometheus remote write 1.0 <c>WriteRequest</c> (prompb/remote.proto, types.proto),
/// written field by field with <see cref="CodedOutputStream"/>:
/// WriteRequest{1: repeated TimeSeries}; TimeSeries{1: repeated Label, 2: repeated Sample, 3: repeated Exemplar};
/// Label{1: name, 2: value}; Sample{1: double value, 2: int64 timestamp ms}; Exemplar{1: repeated Label, 2: double value, 3: int64 timestamp}.
/// </summary>
internal sealed class WriteRequestEncoder
{
    // Per series, the last timestamp written: a series' samples must increase strictly or Prometheus rejects them.
    private readonly Dictionary<string, long> _lastTimestamps = new(StringComparer.Ordinal);

    /// <summary>How many backend samples a snapshot expands to (what the sink counts as sent or dropped).</summary>
    public static long Weigh(MetricSample[] samples)
    {
        long weight = 0;
        foreach (var sample in samples)
        {
            weight += sample.Kind == MetricKind.Histogram && sample.Histogram is not null ? HistogramBuckets.Count + 3 : 1;
        }

        return weight;
    }

    /// <summary>Encodes the snapshots, oldest first, into one WriteRequest.</summary>
    /// <param name="batches">The snapshots.</param>
    /// <returns>The uncompressed protobuf bytes.</returns>
    public byte[] Encode(IEnumerable<MetricSample[]> batches)
    {
        var series = new Dictionary<string, Series>(StringComparer.Ordinal);
        var order = new List<Series>();
        Span<long> cumulative = stackalloc long[HistogramBuckets.Count];
        foreach (var batch in batches)
        {
            foreach (var sample in batch)
            {
                var ts = sample.Timestamp.ToUnixTimeMilliseconds();
                var labelKey = sample.Labels.ToString();
                if (sample.Kind != MetricKind.Histogram || sample.Histogram is null)
                {
                    Get(series, order, sample.Name, sample.Labels, labelKey, null).Add(sample.Value, ts, this);
                    continue;
                }

                var histogram = sample.Histogram;
                HistogramBuckets.Cumulative(histogram, cumulative);
                var bucketName = sample.Name + "_bucket";
                for (var i = 0; i <= HistogramBuckets.Count; i++)
                {
                    var le = i < HistogramBuckets.Count ? HistogramBuckets.UpperBoundLabels[i] : "+Inf";
                    var s = Get(series, order, bucketName, sample.Labels, labelKey, le);
                    s.Add(i < HistogramBuckets.Count ? cumulative[i] : histogram.TotalCount, ts, this);
                    foreach (var exemplar in sample.Exemplars)
                    {
                        if (HistogramBuckets.IndexOf(exemplar.ValueSeconds) == i)
                        {
                            s.Exemplars.Add(exemplar);
                        }
                    }
                }

                Get(series, order, sample.Name + "_sum", sample.Labels, labelKey, null).Add(histogram.Sum / 1e6, ts, this);
                Get(series, order, sample.Name + "_count", sample.Labels, labelKey, null).Add(histogram.TotalCount, ts, this);
            }
        }

        var sizes = new int[order.Count];
        var total = 0;
        for (var i = 0; i < order.Count; i++)
        {
            sizes[i] = order[i].ComputeSize();
            total += 1 + CodedOutputStream.ComputeLengthSize(sizes[i]) + sizes[i];
        }

        var bytes = new byte[total];
        var output = new CodedOutputStream(bytes);
        for (var i = 0; i < order.Count; i++)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteLength(sizes[i]);
            order[i].WriteTo(output);
        }

        output.Flush();
        output.CheckNoSpaceLeft();
        return bytes;
    }

    private static Series Get(Dictionary<string, Series> series, List<Series> order, string name, LabelSet labels, string labelKey, string? le)
    {
        var key = le is null ? name + labelKey : name + labelKey + le;
        if (!series.TryGetValue(key, out var s))
        {
            var pairs = new List<KeyValuePair<string, string>>(labels.Count + 2) { new("__name__", name) };
            foreach (var pair in labels.Pairs)
            {
                pairs.Add(pair);
            }

            if (le is not null)
            {
                pairs.Add(new("le", le));
            }

            // Remote write requires labels sorted by name.
            pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            s = new Series(key, [.. pairs]);
            series[key] = s;
            order.Add(s);
        }

        return s;
    }

    private static int LabelSize(string name, string value) =>
        1 + CodedOutputStream.ComputeStringSize(name) + 1 + CodedOutputStream.ComputeStringSize(value);

    private static void WriteLabel(CodedOutputStream output, int field, string name, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(LabelSize(name, value));
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(name);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private sealed class Series(string key, KeyValuePair<string, string>[] labels)
    {
        public List<(double Value, long Timestamp)> Samples { get; } = [];

        public List<Exemplar> Exemplars { get; } = [];

        public void Add(double value, long timestamp, WriteRequestEncoder encoder)
        {
            if (encoder._lastTimestamps.TryGetValue(key, out var last) && timestamp <= last)
            {
                // Two snapshots in one millisecond (e.g. the last tick and the final flush): keep both, 1 ms apart.
                timestamp = last + 1;
            }

            encoder._lastTimestamps[key] = timestamp;
            Samples.Add((value, timestamp));
        }

        public int ComputeSize()
        {
            var size = 0;
            foreach (var label in labels)
            {
                var l = LabelSize(label.Key, label.Value);
                size += 1 + CodedOutputStream.ComputeLengthSize(l) + l;
            }

            foreach (var sample in Samples)
            {
                var s = SampleSize(sample.Timestamp);
                size += 1 + CodedOutputStream.ComputeLengthSize(s) + s;
            }

            foreach (var exemplar in Exemplars)
            {
                var e = ExemplarSize(exemplar);
                size += 1 + CodedOutputStream.ComputeLengthSize(e) + e;
            }

            return size;
        }

        public void WriteTo(CodedOutputStream output)
        {
            foreach (var label in labels)
            {
                WriteLabel(output, 1, label.Key, label.Value);
            }

            foreach (var (value, timestamp) in Samples)
            {
                output.WriteTag(2, WireFormat.WireType.LengthDelimited);
                output.WriteLength(SampleSize(timestamp));
                output.WriteTag(1, WireFormat.WireType.Fixed64);
                output.WriteDouble(value);
                output.WriteTag(2, WireFormat.WireType.Varint);
                output.WriteInt64(timestamp);
            }

            foreach (var exemplar in Exemplars)
            {
                output.WriteTag(3, WireFormat.WireType.LengthDelimited);
                output.WriteLength(ExemplarSize(exemplar));
                WriteLabel(output, 1, "span_id", exemplar.SpanId);
                WriteLabel(output, 1, "trace_id", exemplar.TraceId);
                output.WriteTag(2, WireFormat.WireType.Fixed64);
                output.WriteDouble(exemplar.ValueSeconds);
                output.WriteTag(3, WireFormat.WireType.Varint);
                output.WriteInt64(exemplar.Timestamp.ToUnixTimeMilliseconds());
            }
        }

        private static int SampleSize(long timestamp) => 1 + 8 + 1 + CodedOutputStream.ComputeInt64Size(timestamp);

        private static int ExemplarSize(Exemplar exemplar)
        {
            var size = 0;
            foreach (var (name, value) in new[] { ("span_id", exemplar.SpanId), ("trace_id", exemplar.TraceId) })
            {
                var l = LabelSize(name, value);
                size += 1 + CodedOutputStream.ComputeLengthSize(l) + l;
            }

            return size + 1 + 8 + 1 + CodedOutputStream.ComputeInt64Size(exemplar.Timestamp.ToUnixTimeMilliseconds());
        }
    }
}
