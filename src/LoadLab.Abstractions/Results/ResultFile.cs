using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoadLab.Results;

/// <summary>Reads and writes result files (<c>result.json</c>, gzipped as <c>result.json.gz</c> when large).</summary>
public static class ResultFile
{
    /// <summary>Results larger than this are written gzipped.</summary>
    public const long GzipThresholdBytes = 16 * 1024 * 1024;

    /// <summary>Gets the JSON options of the result file: camelCase, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Writes a result into <paramref name="directory"/> as result.json (or result.json.gz when large).</summary>
    /// <param name="result">The result.</param>
    /// <param name="directory">The folder, created if missing.</param>
    /// <returns>The path of the written file.</returns>
    public static string Write(RunResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, JsonOptions);
        var plain = Path.Combine(directory, "result.json");
        var gz = plain + ".gz";
        if (bytes.LongLength > GzipThresholdBytes)
        {
            using (var file = File.Create(gz))
            using (var zip = new GZipStream(file, CompressionLevel.Optimal))
            {
                zip.Write(bytes);
            }

            File.Delete(plain);
            return gz;
        }

        // Write to a temporary name first so a crash never leaves half a result behind.
        var tmp = plain + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, plain, overwrite: true);
        File.Delete(gz);
        return plain;
    }

    /// <summary>Writes a result to an exact path (gzipped when the path ends with .gz).</summary>
    /// <param name="result">The result.</param>
    /// <param name="path">The file path.</param>
    public static void WriteTo(RunResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, JsonOptions);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Optimal);
            zip.Write(bytes);
            return;
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Reads a result file; a folder means the result.json (or .gz) inside it.</summary>
    /// <param name="path">A result file or a run folder.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ResultFileException">The file is missing, not JSON, or not a result of a known schema.</exception>
    public static RunResult Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = Resolve(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultFileException(file, $"cannot be read: {e.Message}");
        }

        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var input = new MemoryStream(bytes);
            using var zip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            zip.CopyTo(output);
            bytes = output.ToArray();
        }

        if (bytes.Length == 0)
        {
            throw new ResultFileException(file, "is empty; expected a LoadLab result (JSON)");
        }

        RunResult? result;
        try
        {
            result = JsonSerializer.Deserialize<RunResult>(bytes, JsonOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new ResultFileException(file, $"is not a valid result{where}: {e.Message.Split(" Path:")[0]}");
        }

        if (result is null)
        {
            throw new ResultFileException(file, "holds null; expected a LoadLab result object");
        }

        if (result.SchemaVersion != RunResult.CurrentSchemaVersion)
        {
            throw new ResultFileException(file, $"has schemaVersion {result.SchemaVersion}; this LoadLab reads schemaVersion {RunResult.CurrentSchemaVersion}");
        }

        if (string.IsNullOrEmpty(result.RunId))
        {
            throw new ResultFileException(file, "has no runId; expected a LoadLab result");
        }

        return result;
    }

    private static string Resolve(string path)
    {
        if (Directory.Exists(path))
        {
            var plain = Path.Combine(path, "result.json");
            if (File.Exists(plain))
            {
                return plain;
            }

            if (File.Exists(plain + ".gz"))
            {
                return plain + ".gz";
            }

            throw new ResultFileException(path, "is a folder without result.json");
        }

        if (!File.Exists(path))
        {
            throw new ResultFileException(path, "does not exist");
        }

        return path;
    }
}

/// <summary>A result file that cannot be used; the message names the file and what is wrong.</summary>
public sealed class ResultFileException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ResultFileException"/> class.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong, as the end of a sentence that starts with the file name.</param>
    public ResultFileException(string path, string problem)
        : base($"Result file '{path}' {problem}.")
    {
        Path = path;
    }

    /// <summary>Initializes a new instance of the <see cref="ResultFileException"/> class.</summary>
    public ResultFileException()
    {
        Path = "";
    }

    /// <summary>Initializes a new instance of the <see cref="ResultFileException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ResultFileException(string message)
        : base(message)
    {
        Path = "";
    }

    /// <summary>Initializes a new instance of the <see cref="ResultFileException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ResultFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }
}

/// <summary>Helpers for latency summaries.</summary>
public static class LatencySummaryExtensions
{
    /// <summary>Decodes the HdrHistogram of a summary (microseconds).</summary>
    /// <param name="summary">The summary.</param>
    /// <returns>The histogram; empty when none was stored.</returns>
    public static Histograms.HistogramSnapshot GetHistogram(this LatencySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return string.IsNullOrEmpty(summary.Histogram) ? Histograms.HistogramSnapshot.Empty : Histograms.HistogramSnapshot.FromBase64(summary.Histogram);
    }

    /// <summary>Builds a summary (seconds) from a histogram of microseconds.</summary>
    /// <param name="histogram">The histogram.</param>
    /// <returns>The summary, with the encoded histogram.</returns>
    public static LatencySummary ToSummary(this Histograms.HistogramSnapshot histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        const double us = 1e-6;
        if (histogram.IsEmpty)
        {
            return new LatencySummary();
        }

        return new LatencySummary
        {
            Count = histogram.TotalCount,
            Min = histogram.Min * us,
            Mean = Math.Round(histogram.Mean) * us,
            P50 = histogram.GetValueAtPercentile(50) * us,
            P75 = histogram.GetValueAtPercentile(75) * us,
            P90 = histogram.GetValueAtPercentile(90) * us,
            P95 = histogram.GetValueAtPercentile(95) * us,
            P99 = histogram.GetValueAtPercentile(99) * us,
            P999 = histogram.GetValueAtPercentile(99.9) * us,
            Max = histogram.Max * us,
            Histogram = histogram.ToBase64(),
        };
    }
}
