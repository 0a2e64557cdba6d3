using System.Buffers;
using System.Net.Http.Headers;
using Snappier;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>A sample of one series.</summary>
internal readonly record struct Sample(long TimestampMs, double Value);

/// <summary>An exemplar: its labels (trace_id), value and time.</summary>
internal sealed record Exemplar(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long TimestampMs);

/// <summary>One series to write: sorted labels (with __name__), samples in time order, exemplars.</summary>
internal sealed record WriteSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<Sample> Samples, IReadOnlyList<Exemplar> Exemplars);

/// <summary>
/// Prometheus remote write 1.0 (a snappy-compressed protobuf WriteRequest), the protocol LoadLab's
/// prometheus-rw sink speaks, so that a real Prometheus can be filled the way a run fills it.
/// The message is small enough to encode by hand: WriteRequest{1: TimeSeries}, TimeSeries{1: Label,
/// 2: Sample, 3: Exemplar}, Label{1: name, 2: value}, Sample{1: double, 2: int64 ms},
/// Exemplar{1: Label, 2: double, 3: int64 ms}.
/// </summary>
internal static class RemoteWriteClient
{
    public static async Task WriteAsync(HttpClient http, Uri url, IReadOnlyList<WriteSeries> series, CancellationToken cancellationToken)
    {
        const int BatchSize = 400;
        for (var offset = 0; offset < series.Count; offset += BatchSize)
        {
            var body = Snappy.CompressToArray(Encode(series.Skip(offset).Take(BatchSize)));
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            content.Headers.ContentEncoding.Add("snappy");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"remote write to {url} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    internal static byte[] Encode(IEnumerable<WriteSeries> series)
    {
        var request = new ProtoWriter();
        foreach (var s in series)
        {
            var ts = new ProtoWriter();
            foreach (var label in s.Labels)
            {
                ts.Message(1, EncodeLabel(label));
            }

            foreach (var sample in s.Samples)
            {
                var m = new ProtoWriter();
                m.Double(1, sample.Value);
                m.Int64(2, sample.TimestampMs);
                ts.Message(2, m.ToArray());
            }

            foreach (var exemplar in s.Exemplars)
            {
                var m = new ProtoWriter();
                foreach (var label in exemplar.Labels)
                {
                    m.Message(1, EncodeLabel(label));
                }

                m.Double(2, exemplar.Value);
                m.Int64(3, exemplar.TimestampMs);
                ts.Message(3, m.ToArray());
            }

            request.Message(1, ts.ToArray());
        }

        return request.ToArray();
    }

    private static byte[] EncodeLabel(KeyValuePair<string, string> label)
    {
        var m = new ProtoWriter();
        m.String(1, label.Key);
        m.String(2, label.Value);
        return m.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public void Message(int field, byte[] bytes)
        {
            Varint((ulong)((field << 3) | 2));
            Varint((ulong)bytes.Length);
            _buffer.Write(bytes);
        }

        public void String(int field, string value) => Message(field, System.Text.Encoding.UTF8.GetBytes(value));

        public void Double(int field, double value)
        {
            Varint((ulong)((field << 3) | 1));
            Span<byte> buffer = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(buffer, value);
            _buffer.Write(buffer);
        }

        public void Int64(int field, long value)
        {
            Varint((ulong)(field << 3));
            Varint((ulong)value);
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.Write([(byte)(value | 0x80)]);
                value >>= 7;
            }

            _buffer.Write([(byte)value]);
        }
    }
}
