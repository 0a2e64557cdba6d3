using System.Text.Json;

namespace LoadLab.Bench.Infrastructure;

/// <summary>A benchmark's rows: printed as a table and written as JSON under bench/results/.</summary>
internal sealed class BenchTable(string suite)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly List<BenchRow> _rows = [];

    public string Suite => suite;

    public IReadOnlyList<BenchRow> Rows => _rows;

    public void Add(string name, string metric, double value, string unit, string target, bool? passed, string? note = null)
    {
        var row = new BenchRow(name, metric, value, unit, target, passed, note);
        _rows.Add(row);
        System.Console.WriteLine($"  {name,-38} {metric,-28} {Format(value),14} {unit,-10} {target,-18} {(passed is null ? "" : passed.Value ? "PASS" : "FAIL")} {note}");
    }

    public static void Header()
    {
        System.Console.WriteLine($"  {"benchmark",-38} {"metric",-28} {"value",14} {"unit",-10} {"target",-18} verdict");
        System.Console.WriteLine("  " + new string('-', 120));
    }

    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{suite}.json");
        var doc = new
        {
            suite,
            machine = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() },
            at = DateTimeOffset.UtcNow,
            rows = _rows,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(doc, s_json));
        return path;
    }

    private static string Format(double v) => Math.Abs(v) >= 1000 ? v.ToString("N0") : v.ToString("0.####");
}

internal sealed record BenchRow(string Name, string Metric, double Value, string Unit, string Target, bool? Passed, string? Note);
