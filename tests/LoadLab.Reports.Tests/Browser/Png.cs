using System.Buffers.Binary;
using System.IO.Compression;

namespace LoadLab.Reports.Tests.Browser;

/// <summary>A minimal PNG decoder (8-bit RGB or RGBA, not interlaced), enough to judge a screenshot.</summary>
internal sealed class Png
{
    private Png(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gets the pixels as RGB triples, row by row.</summary>
    public byte[] Rgb { get; }

    public static Png Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG file");
        int width = 0, height = 0, colorType = 0;
        using var idat = new MemoryStream();
        var pos = 8;
        while (pos < bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(bytes, pos + 4, 4);
            var data = bytes.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        var channels = colorType switch
        {
            2 => 3,
            6 => 4,
            _ => throw new InvalidDataException($"PNG colour type {colorType} is not supported by this test decoder"),
        };
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var src = raw.ToArray();
        var stride = width * channels;
        var prev = new byte[stride];
        var cur = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var filter = src[y * (stride + 1)];
            Array.Copy(src, (y * (stride + 1)) + 1, cur, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                var a = i >= channels ? cur[i - channels] : 0;
                var b = prev[i];
                var c = i >= channels ? prev[i - channels] : 0;
                cur[i] = filter switch
                {
                    0 => cur[i],
                    1 => (byte)(cur[i] + a),
                    2 => (byte)(cur[i] + b),
                    3 => (byte)(cur[i] + ((a + b) / 2)),
                    4 => (byte)(cur[i] + Paeth(a, b, c)),
                    _ => throw new InvalidDataException($"bad PNG filter {filter}"),
                };
            }

            for (var x = 0; x < width; x++)
            {
                rgb[(((y * width) + x) * 3) + 0] = cur[(x * channels) + 0];
                rgb[(((y * width) + x) * 3) + 1] = cur[(x * channels) + 1];
                rgb[(((y * width) + x) * 3) + 2] = cur[(x * channels) + 2];
            }

            (prev, cur) = (cur, prev);
        }

        return new Png(width, height, rgb);
    }

    /// <summary>Gets the number of distinct colours.</summary>
    public int DistinctColours()
    {
        var set = new HashSet<int>();
        for (var i = 0; i < Rgb.Length; i += 3)
        {
            set.Add((Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2]);
        }

        return set.Count;
    }

    /// <summary>Gets the share of pixels that are not near-white.</summary>
    public double InkRatio()
    {
        long ink = 0;
        for (var i = 0; i < Rgb.Length; i += 3)
        {
            if (Rgb[i] < 235 || Rgb[i + 1] < 235 || Rgb[i + 2] < 235)
            {
                ink++;
            }
        }

        return (double)ink / (Width * Height);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
