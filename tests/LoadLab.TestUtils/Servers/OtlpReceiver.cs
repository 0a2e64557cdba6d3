using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LoadLab.TestUtils.Servers;

/// <summary>A span as the receiver decoded it from an OTLP/HTTP protobuf request.</summary>
public sealed class ReceivedSpan
{
    /// <summary>Gets the trace id (32 lowercase hex digits).</summary>
    public required string TraceId { get; init; }

    /// <summary>Gets the span id (16 lowercase hex digits).</summary>
    public required string SpanId { get; init; }

    /// <summary>Gets the parent span id, or "" for a root span.</summary>
    public required string ParentSpanId { get; init; }

    /// <summary>Gets the span name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the kind (1 internal, 2 server, 3 client, 4 producer, 5 consumer).</summary>
    public int Kind { get; init; }

    /// <summary>Gets the status code (0 unset, 1 ok, 2 error).</summary>
    public int StatusCode { get; init; }

    /// <summary>Gets the status message.</summary>
    public string StatusMessage { get; init; } = "";

    /// <summary>Gets the start time in Unix nanoseconds.</summary>
    public ulong StartTimeUnixNano { get; init; }

    /// <summary>Gets the end time in Unix nanoseconds.</summary>
    public ulong EndTimeUnixNano { get; init; }

    /// <summary>Gets the W3C trace flags (bit 0 = sampled) from the span's flags field, when the exporter sets it.</summary>
    public uint Flags { get; init; }

    /// <summary>Gets the span attributes (values as strings, invariant culture).</summary>
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }

    /// <summary>Gets the resource attributes of the batch the span came in.</summary>
    public required IReadOnlyDictionary<string, string> Resource { get; init; }

    /// <summary>Gets the instrumentation scope name (the ActivitySource).</summary>
    public string Scope { get; init; } = "";

    /// <summary>Gets a value indicating whether this is a root span.</summary>
    public bool IsRoot => ParentSpanId.Length == 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {TraceId}/{SpanId} parent={ParentSpanId} status={StatusCode}";
}

/// <summary>
/// An OTLP/HTTP receiver for tests: Kestrel on 127.0.0.1 (free port) accepting POST /v1/traces with a
/// protobuf ExportTraceServiceRequest (optionally gzip), decoded by a small hand-written protobuf reader.
/// It stands in for Tempo, which is not installable here.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private int _requests;
    private int _failNext;

    private OtlpReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Gets the base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the traces endpoint (/v1/traces).</summary>
    public Uri TracesUrl => new(BaseAddress, "v1/traces");

    /// <summary>Gets every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    /// <summary>Gets how many export requests arrived (including failed ones).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Gets the headers of the last request (lowercase names), e.g. to check OTEL_EXPORTER_OTLP_HEADERS.</summary>
    public IReadOnlyDictionary<string, string> LastHeaders { get; private set; } = new Dictionary<string, string>();

    /// <summary>Starts the receiver.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running receiver.</returns>
    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebApp.Create();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", receiver.HandleAsync);
        receiver.BaseAddress = await app.StartOnLoopbackAsync(cancellationToken).ConfigureAwait(false);
        return receiver;
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with 503 (fault tests).</summary>
    /// <param name="count">How many.</param>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    /// <summary>Waits until <paramref name="condition"/> holds over the received spans, polling every 100 ms.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">The bound.</param>
    /// <returns>True when it held in time.</returns>
    public async Task<bool> WaitForAsync(Func<IReadOnlyList<ReceivedSpan>, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition(Spans))
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Forgets the spans received so far.</summary>
    public void Clear() => _spans.Clear();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Decodes an ExportTraceServiceRequest.</summary>
    /// <param name="payload">The protobuf bytes.</param>
    /// <returns>The spans.</returns>
    public static List<ReceivedSpan> Decode(ReadOnlySpan<byte> payload)
    {
        var spans = new List<ReceivedSpan>();
        var request = new ProtoReader(payload);
        while (request.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                DecodeResourceSpans(request.ReadBytes(), spans);
            }
            else
            {
                request.Skip(wire);
            }
        }

        return spans;
    }

    private static void DecodeResourceSpans(ReadOnlySpan<byte> bytes, List<ReceivedSpan> spans)
    {
        var resource = new Dictionary<string, string>(StringComparer.Ordinal);
        var scopeSpans = new List<byte[]>();
        var reader = new ProtoReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                var r = new ProtoReader(reader.ReadBytes());
                while (r.Next(out var f, out var w))
                {
                    if (f == 1 && w == 2)
                    {
                        var (key, value) = DecodeKeyValue(r.ReadBytes());
                        resource[key] = value;
                    }
                    else
                    {
                        r.Skip(w);
                    }
                }
            }
            else if (field == 2 && wire == 2)
            {
                scopeSpans.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        foreach (var scope in scopeSpans)
        {
            DecodeScopeSpans(scope, resource, spans);
        }
    }

    private static void DecodeScopeSpans(ReadOnlySpan<byte> bytes, Dictionary<string, string> resource, List<ReceivedSpan> spans)
    {
        var scopeName = "";
        var raw = new List<byte[]>();
        var reader = new ProtoReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                var s = new ProtoReader(reader.ReadBytes());
                while (s.Next(out var f, out var w))
                {
                    if (f == 1 && w == 2)
                    {
                        scopeName = s.ReadString();
                    }
                    else
                    {
                        s.Skip(w);
                    }
                }
            }
            else if (field == 2 && wire == 2)
            {
                raw.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        foreach (var span in raw)
        {
            spans.Add(DecodeSpan(span, resource, scopeName));
        }
    }

    private static ReceivedSpan DecodeSpan(ReadOnlySpan<byte> bytes, Dictionary<string, string> resource, string scope)
    {
        string traceId = "", spanId = "", parent = "", name = "", statusMessage = "";
        int kind = 0, statusCode = 0;
        ulong start = 0, end = 0;
        uint flags = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2: traceId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 2 when wire == 2: spanId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 4 when wire == 2: parent = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 5 when wire == 2: name = reader.ReadString(); break;
                case 6 when wire == 0: kind = (int)reader.ReadVarint(); break;
                case 7 when wire == 1: start = reader.ReadFixed64(); break;
                case 8 when wire == 1: end = reader.ReadFixed64(); break;
                case 9 when wire == 2:
                    var (key, value) = DecodeKeyValue(reader.ReadBytes());
                    attributes[key] = value;
                    break;
                case 15 when wire == 2:
                    var s = new ProtoReader(reader.ReadBytes());
                    while (s.Next(out var f, out var w))
                    {
                        if (f == 2 && w == 2)
                        {
                            statusMessage = s.ReadString();
                        }
                        else if (f == 3 && w == 0)
                        {
                            statusCode = (int)s.ReadVarint();
                        }
                        else
                        {
                            s.Skip(w);
                        }
                    }

                    break;
                case 16 when wire == 5: flags = reader.ReadFixed32(); break;
                default: reader.Skip(wire); break;
            }
        }

        return new ReceivedSpan
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parent,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            StatusCode = statusCode,
            StatusMessage = statusMessage,
            Flags = flags,
            Attributes = attributes,
            Resource = resource,
            Scope = scope,
        };
    }

    private static (string Key, string Value) DecodeKeyValue(ReadOnlySpan<byte> bytes)
    {
        string key = "", value = "";
        var reader = new ProtoReader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                key = reader.ReadString();
            }
            else if (field == 2 && wire == 2)
            {
                value = DecodeAnyValue(reader.ReadBytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (key, value);
    }

    private static string DecodeAnyValue(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var value = "";
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2: value = reader.ReadString(); break;
                case 2 when wire == 0: value = reader.ReadVarint() != 0 ? "true" : "false"; break;
                case 3 when wire == 0: value = ((long)reader.ReadVarint()).ToString(); break;
                case 4 when wire == 1: value = BitConverter.UInt64BitsToDouble(reader.ReadFixed64()).ToString("R"); break;
                default: reader.Skip(wire); break;
            }
        }

        return value;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        LastHeaders = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        var body = context.Request.Body;
        if (string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        await body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        Interlocked.Exchange(ref _failNext, 0);
        if (!(context.Request.ContentType ?? "").StartsWith("application/x-protobuf", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        foreach (var span in Decode(buffer.ToArray()))
        {
            _spans.Enqueue(span);
        }

        // An empty ExportTraceServiceResponse.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }

    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = 0;
                wire = 0;
                return false;
            }

            var tag = ReadVarint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new InvalidDataException("Malformed varint.");
        }

        public ulong ReadFixed64()
        {
            var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
            _position += 8;
            return v;
        }

        public uint ReadFixed32()
        {
            var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_data[_position..]);
            _position += 4;
            return v;
        }

        public ReadOnlySpan<byte> ReadBytes()
        {
            var length = (int)ReadVarint();
            var slice = _data.Slice(_position, length);
            _position += length;
            return slice;
        }

        public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: ReadVarint(); break;
                case 1: _position += 8; break;
                case 2: ReadBytes(); break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException($"Unsupported wire type {wire}.");
            }
        }
    }
}
