using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace LoadLab.Histograms;

/// <summary>
/// An immutable, sparse copy of an HdrHistogram (integer values, usually microseconds).
/// It uses HdrHistogram's bucket layout exactly, so snapshots from several runs or machines
/// merge without loss, and it reads and writes the standard HdrHistogram V2 compressed
/// encoding, so any HdrHistogram library can decode a LoadLab result.
/// </summary>
public sealed class HistogramSnapshot
{
    private const int V2EncodingCookie = 0x1c849303 | 0x10;
    private const int V2CompressedEncodingCookie = 0x1c849304 | 0x10;
    private const int HeaderSize = 40;

    private readonly int[] _indexes;
    private readonly long[] _counts;

    /// <summary>Gets an empty snapshot with LoadLab's default layout (1 µs to 1 hour, 3 significant digits).</summary>
    public static HistogramSnapshot Empty { get; } = new(HistogramLayout.Default, [], []);

    internal HistogramSnapshot(HistogramLayout layout, int[] indexes, long[] counts)
    {
        Layout = layout;
        _indexes = indexes;
        _counts = counts;
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += counts[i];
        }

        TotalCount = total;
    }

    /// <summary>Gets the bucket layout of this snapshot.</summary>
    public HistogramLayout Layout { get; }

    /// <summary>Gets the number of recorded values.</summary>
    public long TotalCount { get; }

    /// <summary>Gets a value indicating whether no value was recorded.</summary>
    public bool IsEmpty => TotalCount == 0;

    /// <summary>Gets the smallest recorded value (the lowest value equivalent to it), or 0 when empty.</summary>
    public long Min => IsEmpty ? 0 : Layout.LowestEquivalentValue(Layout.ValueFromIndex(_indexes[0]));

    /// <summary>Gets the largest recorded value (the highest value equivalent to it), or 0 when empty.</summary>
    public long Max => IsEmpty ? 0 : Layout.HighestEquivalentValue(Layout.ValueFromIndex(_indexes[^1]));

    /// <summary>Gets the mean of the recorded values (each taken at the middle of its bucket), or 0 when empty.</summary>
    public double Mean
    {
        get
        {
            if (IsEmpty)
            {
                return 0;
            }

            double sum = 0;
            for (var i = 0; i < _indexes.Length; i++)
            {
                sum += Layout.MedianEquivalentValue(Layout.ValueFromIndex(_indexes[i])) * (double)_counts[i];
            }

            return sum / TotalCount;
        }
    }

    /// <summary>Gets the sum of the recorded values (each taken at the middle of its bucket).</summary>
    public double Sum => Mean * TotalCount;

    /// <summary>Gets the non-empty buckets in ascending order of value.</summary>
    public IEnumerable<HistogramBucket> Buckets
    {
        get
        {
            for (var i = 0; i < _indexes.Length; i++)
            {
                var value = Layout.ValueFromIndex(_indexes[i]);
                yield return new HistogramBucket(
                    Layout.LowestEquivalentValue(value),
                    Layout.HighestEquivalentValue(value),
                    _counts[i]);
            }
        }
    }

    /// <summary>Gets the number of non-empty buckets.</summary>
    public int BucketCount => _indexes.Length;

    /// <summary>
    /// Gets the value at a percentile, with HdrHistogram's definition: the highest value
    /// equivalent to the smallest recorded value at or below which <paramref name="percentile"/>
    /// percent of all values fall.
    /// </summary>
    /// <param name="percentile">A percentile between 0 and 100.</param>
    /// <returns>The value, or 0 when the snapshot is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The percentile is outside 0..100.</exception>
    public long GetValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (IsEmpty)
        {
            return 0;
        }

        var countAtPercentile = Math.Max(1, (long)((percentile / 100.0 * TotalCount) + 0.5));
        long running = 0;
        for (var i = 0; i < _indexes.Length; i++)
        {
            running += _counts[i];
            if (running >= countAtPercentile)
            {
                return Layout.HighestEquivalentValue(Layout.ValueFromIndex(_indexes[i]));
            }
        }

        return Max;
    }

    /// <summary>Gets how many recorded values are less than or equal to <paramref name="value"/> (bucket precision).</summary>
    /// <param name="value">The upper bound.</param>
    /// <returns>The count of values whose bucket lies at or below the bound.</returns>
    public long CountAtOrBelow(long value)
    {
        long running = 0;
        for (var i = 0; i < _indexes.Length; i++)
        {
            if (Layout.HighestEquivalentValue(Layout.ValueFromIndex(_indexes[i])) > value)
            {
                break;
            }

            running += _counts[i];
        }

        return running;
    }

    /// <summary>Adds two snapshots exactly (bucket by bucket).</summary>
    /// <param name="other">A snapshot with the same lowest value and significant digits.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentException">The layouts are incompatible.</exception>
    public HistogramSnapshot Add(HistogramSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty && Layout.IsCompatibleWith(other.Layout))
        {
            return other;
        }

        if (!Layout.IsCompatibleWith(other.Layout))
        {
            throw new ArgumentException(
                $"Histograms with different layouts cannot be merged (lowest {Layout.LowestDiscernibleValue}/{other.Layout.LowestDiscernibleValue}, digits {Layout.SignificantDigits}/{other.Layout.SignificantDigits}).",
                nameof(other));
        }

        var layout = Layout.HighestTrackableValue >= other.Layout.HighestTrackableValue ? Layout : other.Layout;
        var builder = new HistogramSnapshotBuilder(layout);
        builder.AddIndexed(_indexes, _counts);
        builder.AddIndexed(other._indexes, other._counts);
        return builder.Build();
    }

    /// <summary>Sums a sequence of snapshots.</summary>
    /// <param name="snapshots">The snapshots.</param>
    /// <returns>Their exact sum, or <see cref="Empty"/>.</returns>
    public static HistogramSnapshot Merge(IEnumerable<HistogramSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        HistogramSnapshotBuilder? builder = null;
        foreach (var s in snapshots)
        {
            if (s.IsEmpty)
            {
                continue;
            }

            builder ??= new HistogramSnapshotBuilder(s.Layout);
            builder.Add(s);
        }

        return builder?.Build() ?? Empty;
    }

    internal ReadOnlySpan<int> Indexes => _indexes;

    internal ReadOnlySpan<long> Counts => _counts;

    /// <summary>Encodes the snapshot in HdrHistogram's V2 compressed format, as base64.</summary>
    /// <returns>The base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(EncodeCompressed());

    /// <summary>Encodes the snapshot in HdrHistogram's V2 compressed format.</summary>
    /// <returns>The bytes.</returns>
    public byte[] EncodeCompressed()
    {
        var raw = EncodeUncompressed();
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw);
        }

        var body = compressed.ToArray();
        var result = new byte[8 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, V2CompressedEncodingCookie);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(4), body.Length);
        body.CopyTo(result, 8);
        return result;
    }

    private byte[] EncodeUncompressed()
    {
        var payload = new List<byte>(_indexes.Length * 3);
        var previous = -1;
        for (var i = 0; i < _indexes.Length; i++)
        {
            var zeros = _indexes[i] - previous - 1;
            if (zeros > 0)
            {
                // HdrHistogram V2 writes a run of empty buckets as one negative number.
                WriteZigZag(payload, -zeros);
            }

            WriteZigZag(payload, _counts[i]);
            previous = _indexes[i];
        }

        var result = new byte[HeaderSize + payload.Count];
        var span = result.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, V2EncodingCookie);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], payload.Count);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], 0);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], Layout.SignificantDigits);
        BinaryPrimitives.WriteInt64BigEndian(span[16..], Layout.LowestDiscernibleValue);
        BinaryPrimitives.WriteInt64BigEndian(span[24..], Layout.HighestTrackableValue);
        BinaryPrimitives.WriteDoubleBigEndian(span[32..], 1.0);
        payload.CopyTo(result, HeaderSize);
        return result;
    }

    /// <summary>Decodes a base64 HdrHistogram V2 (compressed or not) encoding.</summary>
    /// <param name="base64">The text.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FormatException">The text is not a V2 HdrHistogram encoding.</exception>
    public static HistogramSnapshot FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        if (base64.Length == 0)
        {
            return Empty;
        }

        return Decode(Convert.FromBase64String(base64));
    }

    /// <summary>Decodes an HdrHistogram V2 (compressed or not) encoding.</summary>
    /// <param name="bytes">The encoded bytes.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FormatException">The bytes are not a V2 HdrHistogram encoding.</exception>
    public static HistogramSnapshot Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            throw new FormatException("An HdrHistogram encoding is at least 8 bytes long.");
        }

        var cookie = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if ((cookie & ~0xf0) == (V2CompressedEncodingCookie & ~0xf0))
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
            if (length < 0 || length > bytes.Length - 8)
            {
                throw new FormatException("The compressed HdrHistogram length is larger than the data.");
            }

            using var input = new MemoryStream(bytes.Slice(8, length).ToArray());
            using var z = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            z.CopyTo(output);
            return DecodeUncompressed(output.ToArray());
        }

        return DecodeUncompressed(bytes);
    }

    private static HistogramSnapshot DecodeUncompressed(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new FormatException("An HdrHistogram V2 encoding has a 40-byte header.");
        }

        var cookie = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if ((cookie & ~0xf0) != (V2EncodingCookie & ~0xf0))
        {
            throw new FormatException($"Not an HdrHistogram V2 encoding (cookie 0x{cookie:x8}).");
        }

        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        var normalizingOffset = BinaryPrimitives.ReadInt32BigEndian(bytes[8..]);
        var digits = BinaryPrimitives.ReadInt32BigEndian(bytes[12..]);
        var lowest = BinaryPrimitives.ReadInt64BigEndian(bytes[16..]);
        var highest = BinaryPrimitives.ReadInt64BigEndian(bytes[24..]);
        if (normalizingOffset != 0)
        {
            throw new FormatException("Shifted HdrHistograms (normalizing index offset) are not supported.");
        }

        if (payloadLength < 0 || payloadLength > bytes.Length - HeaderSize)
        {
            throw new FormatException("The HdrHistogram payload length is larger than the data.");
        }

        var layout = new HistogramLayout(lowest, highest, digits);
        var builder = new HistogramSnapshotBuilder(layout);
        var payload = bytes.Slice(HeaderSize, payloadLength);
        var pos = 0;
        var index = 0;
        while (pos < payload.Length)
        {
            var count = ReadZigZag(payload, ref pos);
            if (count < 0)
            {
                index += (int)-count;
            }
            else
            {
                if (count > 0)
                {
                    builder.AddAtIndex(index, count);
                }

                index++;
            }
        }

        return builder.Build();
    }

    private static void WriteZigZag(List<byte> output, long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        // LEB128-64b9B, as HdrHistogram's ZigZagEncoding: the ninth byte carries 8 bits.
        for (var i = 0; i < 8; i++)
        {
            if (v < 0x80)
            {
                output.Add((byte)v);
                return;
            }

            output.Add((byte)((v & 0x7f) | 0x80));
            v >>= 7;
        }

        output.Add((byte)v);
    }

    private static long ReadZigZag(ReadOnlySpan<byte> input, ref int pos)
    {
        ulong v = 0;
        var shift = 0;
        for (var i = 0; i < 9; i++)
        {
            if (pos >= input.Length)
            {
                throw new FormatException("The HdrHistogram payload ends inside a number.");
            }

            var b = input[pos++];
            if (i == 8)
            {
                v |= (ulong)b << shift;
                break;
            }

            v |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        return (long)(v >> 1) ^ -(long)(v & 1);
    }
}

/// <summary>A non-empty bucket of a <see cref="HistogramSnapshot"/>.</summary>
/// <param name="LowestValue">The lowest value the bucket holds.</param>
/// <param name="HighestValue">The highest value the bucket holds.</param>
/// <param name="Count">How many values were recorded in it.</param>
public readonly record struct HistogramBucket(long LowestValue, long HighestValue, long Count)
{
    /// <summary>Gets the value that represents the bucket (its middle), as HdrHistogram's mean uses.</summary>
    public double MidValue => LowestValue + ((HighestValue - LowestValue + 1) / 2.0);
}

/// <summary>Builds a <see cref="HistogramSnapshot"/> from values or other snapshots.</summary>
public sealed class HistogramSnapshotBuilder
{
    private readonly long[] _counts;
    private int _minIndex = int.MaxValue;
    private int _maxIndex = -1;

    /// <summary>Initializes a new instance of the <see cref="HistogramSnapshotBuilder"/> class.</summary>
    /// <param name="layout">The layout; defaults to <see cref="HistogramLayout.Default"/>.</param>
    public HistogramSnapshotBuilder(HistogramLayout? layout = null)
    {
        Layout = layout ?? HistogramLayout.Default;
        _counts = new long[Layout.CountsArrayLength];
    }

    /// <summary>Gets the layout.</summary>
    public HistogramLayout Layout { get; }

    /// <summary>Records a value <paramref name="count"/> times.</summary>
    /// <param name="value">A value between 0 and the layout's highest trackable value.</param>
    /// <param name="count">How many times.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or too large.</exception>
    public void Record(long value, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Layout.HighestTrackableValue);
        AddAtIndex(Layout.CountsIndexFor(value), count);
    }

    /// <summary>Adds a snapshot's buckets.</summary>
    /// <param name="snapshot">A snapshot of a compatible layout.</param>
    public void Add(HistogramSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!Layout.IsCompatibleWith(snapshot.Layout))
        {
            throw new ArgumentException("Histograms with different layouts cannot be merged.", nameof(snapshot));
        }

        AddIndexed(snapshot.Indexes, snapshot.Counts);
    }

    internal void AddIndexed(ReadOnlySpan<int> indexes, ReadOnlySpan<long> counts)
    {
        for (var i = 0; i < indexes.Length; i++)
        {
            AddAtIndex(indexes[i], counts[i]);
        }
    }

    internal void AddAtIndex(int index, long count)
    {
        if ((uint)index >= (uint)_counts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "A value lies beyond the histogram's highest trackable value.");
        }

        _counts[index] += count;
        _minIndex = Math.Min(_minIndex, index);
        _maxIndex = Math.Max(_maxIndex, index);
    }

    /// <summary>Creates the immutable snapshot.</summary>
    /// <returns>The snapshot.</returns>
    public HistogramSnapshot Build()
    {
        if (_maxIndex < 0)
        {
            return new HistogramSnapshot(Layout, [], []);
        }

        var n = 0;
        for (var i = _minIndex; i <= _maxIndex; i++)
        {
            if (_counts[i] != 0)
            {
                n++;
            }
        }

        var indexes = new int[n];
        var counts = new long[n];
        var k = 0;
        for (var i = _minIndex; i <= _maxIndex; i++)
        {
            if (_counts[i] != 0)
            {
                indexes[k] = i;
                counts[k] = _counts[i];
                k++;
            }
        }

        return new HistogramSnapshot(Layout, indexes, counts);
    }
}

/// <summary>HdrHistogram's bucket layout: which values share a bucket.</summary>
public sealed class HistogramLayout
{
    private readonly int _unitMagnitude;
    private readonly int _subBucketHalfCountMagnitude;
    private readonly int _subBucketHalfCount;
    private readonly int _subBucketCount;
    private readonly long _subBucketMask;
    private readonly int _leadingZeroCountBase;

    /// <summary>Gets LoadLab's layout: 1 µs to one hour, 3 significant digits.</summary>
    public static HistogramLayout Default { get; } = new(1, 3_600_000_000L, 3);

    /// <summary>Initializes a new instance of the <see cref="HistogramLayout"/> class.</summary>
    /// <param name="lowestDiscernibleValue">The smallest value told apart from 0 (at least 1).</param>
    /// <param name="highestTrackableValue">The largest value that can be recorded.</param>
    /// <param name="significantDigits">Precision, 0 to 5 significant decimal digits.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public HistogramLayout(long lowestDiscernibleValue, long highestTrackableValue, int significantDigits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lowestDiscernibleValue, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(highestTrackableValue, 2 * lowestDiscernibleValue);
        ArgumentOutOfRangeException.ThrowIfNegative(significantDigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantDigits, 5);
        LowestDiscernibleValue = lowestDiscernibleValue;
        HighestTrackableValue = highestTrackableValue;
        SignificantDigits = significantDigits;

        var largestValueWithSingleUnitResolution = 2 * (long)Math.Pow(10, significantDigits);
        _unitMagnitude = (int)Math.Floor(Math.Log2(lowestDiscernibleValue));
        var subBucketCountMagnitude = (int)Math.Ceiling(Math.Log2(largestValueWithSingleUnitResolution));
        _subBucketHalfCountMagnitude = Math.Max(subBucketCountMagnitude, 1) - 1;
        _subBucketCount = 1 << (_subBucketHalfCountMagnitude + 1);
        _subBucketHalfCount = _subBucketCount / 2;
        _subBucketMask = ((long)_subBucketCount - 1) << _unitMagnitude;
        _leadingZeroCountBase = 64 - _unitMagnitude - _subBucketHalfCountMagnitude - 1;

        var smallestUntrackableValue = (long)_subBucketCount << _unitMagnitude;
        var bucketsNeeded = 1;
        while (smallestUntrackableValue <= highestTrackableValue)
        {
            if (smallestUntrackableValue > long.MaxValue / 2)
            {
                bucketsNeeded++;
                break;
            }

            smallestUntrackableValue <<= 1;
            bucketsNeeded++;
        }

        CountsArrayLength = (bucketsNeeded + 1) * (_subBucketCount / 2);
    }

    /// <summary>Gets the smallest value told apart from 0.</summary>
    public long LowestDiscernibleValue { get; }

    /// <summary>Gets the largest value that can be recorded.</summary>
    public long HighestTrackableValue { get; }

    /// <summary>Gets the number of significant decimal digits.</summary>
    public int SignificantDigits { get; }

    internal int CountsArrayLength { get; }

    internal bool IsCompatibleWith(HistogramLayout other) =>
        other.LowestDiscernibleValue == LowestDiscernibleValue && other.SignificantDigits == SignificantDigits;

    internal int CountsIndexFor(long value)
    {
        var bucketIndex = _leadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | _subBucketMask));
        var subBucketIndex = (int)(value >> (bucketIndex + _unitMagnitude));
        var bucketBaseIndex = (bucketIndex + 1) << _subBucketHalfCountMagnitude;
        return bucketBaseIndex + (subBucketIndex - _subBucketHalfCount);
    }

    internal long ValueFromIndex(int index)
    {
        var bucketIndex = (index >> _subBucketHalfCountMagnitude) - 1;
        var subBucketIndex = (index & (_subBucketHalfCount - 1)) + _subBucketHalfCount;
        if (bucketIndex < 0)
        {
            subBucketIndex -= _subBucketHalfCount;
            bucketIndex = 0;
        }

        return (long)subBucketIndex << (bucketIndex + _unitMagnitude);
    }

    /// <summary>Gets the lowest value in the same bucket as <paramref name="value"/>.</summary>
    /// <param name="value">A value.</param>
    /// <returns>The lowest equivalent value.</returns>
    public long LowestEquivalentValue(long value)
    {
        var bucketIndex = _leadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | _subBucketMask));
        var subBucketIndex = value >> (bucketIndex + _unitMagnitude);
        return subBucketIndex << (bucketIndex + _unitMagnitude);
    }

    /// <summary>Gets the size of the bucket that holds <paramref name="value"/>.</summary>
    /// <param name="value">A value.</param>
    /// <returns>The number of values the bucket spans.</returns>
    public long SizeOfEquivalentValueRange(long value)
    {
        var bucketIndex = _leadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | _subBucketMask));
        var subBucketIndex = value >> (bucketIndex + _unitMagnitude);
        var adjustedBucket = subBucketIndex >= _subBucketCount ? bucketIndex + 1 : bucketIndex;
        return 1L << (_unitMagnitude + adjustedBucket);
    }

    /// <summary>Gets the highest value in the same bucket as <paramref name="value"/>.</summary>
    /// <param name="value">A value.</param>
    /// <returns>The highest equivalent value.</returns>
    public long HighestEquivalentValue(long value) => LowestEquivalentValue(value) + SizeOfEquivalentValueRange(value) - 1;

    /// <summary>Gets the middle of the bucket that holds <paramref name="value"/>.</summary>
    /// <param name="value">A value.</param>
    /// <returns>The median equivalent value.</returns>
    public long MedianEquivalentValue(long value) => LowestEquivalentValue(value) + (SizeOfEquivalentValueRange(value) >> 1);
}
