using System.Diagnostics;
using System.Text.Json;
using LoadLab.Compare.Validation;

namespace LoadLab.Bench.Compare;

/// <summary>
/// The thorough statistical validation of <c>loadlab compare</c> (issue 5): 1,000 simulated pairs per
/// experiment, 5,000 samples per run, judged with the default settings. Prints and returns the
/// measured rates and writes them as JSON; docs/comparison.md records them.
/// </summary>
internal static class CompareValidationBench
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Runs the validation.</summary>
    /// <param name="jsonPath">Where to write the JSON (folders are created); nothing is written when null.</param>
    /// <param name="pairs">Pairs per experiment; 1,000 as the issue asks.</param>
    /// <param name="samples">Samples per run; 5,000 as the issue asks.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>One row per experiment.</returns>
    public static IReadOnlyList<ValidationRow> Run(string? jsonPath = null, int pairs = 1000, int samples = 5000, int seed = 20261124)
    {
        var stopwatch = Stopwatch.StartNew();
        var rows = ValidationSimulation.Run(pairs, samples, seed);
        var elapsed = stopwatch.Elapsed;
        Console.WriteLine($"compare validation: {pairs} pairs per experiment, {samples} samples per run, seed {seed}, {elapsed.TotalSeconds:0.0} s");
        Console.Write(ValidationSimulation.ToMarkdown(rows));
        if (jsonPath is not null)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            var document = new
            {
                benchmark = "compare-validation",
                pairs,
                samples,
                seed,
                seconds = Math.Round(elapsed.TotalSeconds, 1),
                simulation = new
                {
                    medianMicros = ValidationSimulation.MedianMicros,
                    sigma = ValidationSimulation.Sigma,
                    tailShare = ValidationSimulation.TailShare,
                    tailFactor = ValidationSimulation.TailFactor,
                    runNoise = ValidationSimulation.RunNoise,
                    errorRate = ValidationSimulation.ErrorRate,
                },
                rows,
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(document, s_json));
        }

        return rows;
    }
}
