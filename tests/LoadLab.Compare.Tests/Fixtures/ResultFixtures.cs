using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Compare.Tests.Fixtures;

/// <summary>Builds result files from known distributions (seeded, so every test is deterministic).</summary>
internal static class ResultFixtures
{
    public const string Scenario = "browse_catalog";
    public const string Items = "/v1/items";
    public const string Cart = "/v1/cart";

    /// <summary>A run of browse_catalog: steps /v1/items (median 20 ms x itemsFactor) and /v1/cart (30 ms), lognormal.</summary>
    public static RunResult Run(
        string runId,
        int seed,
        double itemsFactor = 1.0,
        double cartFactor = 1.0,
        double errorRate = 0.01,
        int samples = 3000,
        string release = "1.4.1",
        double checkFailRate = 0.01,
        double declinedRate = 0.05,
        double durationSeconds = 60)
    {
        var random = new Random(seed);
        var items = new HistogramSnapshotBuilder();
        var cart = new HistogramSnapshotBuilder();
        var total = new HistogramSnapshotBuilder();
        for (var i = 0; i < samples; i++)
        {
            var a = (long)(20_000 * itemsFactor * Math.Exp(0.4 * Gaussian(random)));
            var b = (long)(30_000 * cartFactor * Math.Exp(0.4 * Gaussian(random)));
            items.Record(a);
            cart.Record(b);
            total.Record(a + b);
        }

        var fail = Binomial(random, samples, errorRate);
        var checkFail = Binomial(random, samples, checkFailRate);
        var declined = Binomial(random, samples, declinedRate);
        return new RunResult
        {
            RunId = runId,
            Profile = "nightly",
            Labels = new(StringComparer.Ordinal) { ["service"] = "api-service", ["release"] = release },
            DurationSeconds = durationSeconds,
            Scenarios =
            [
                new ScenarioResult
                {
                    Name = Scenario,
                    DurationSeconds = durationSeconds,
                    Iterations = new IterationCounts { Ok = samples, Fail = fail, Dropped = 0 },
                    Rate = new RateInfo { Target = (samples + fail) / durationSeconds, Achieved = (samples + fail) / durationSeconds },
                    ResponseTime = total.Build().ToSummary(),
                    ServiceTime = total.Build().ToSummary(),
                    Checks = new(StringComparer.Ordinal) { ["status is 200"] = new CheckCounts { Pass = samples - checkFail, Fail = checkFail } },
                    Business = new(StringComparer.Ordinal) { ["order"] = new(StringComparer.Ordinal) { ["approved"] = samples - declined, ["declined"] = declined } },
                    Steps =
                    [
                        new StepResult { Name = Items, Requests = new RequestCounts { Ok = samples, Fail = fail }, ResponseTime = items.Build().ToSummary(), ServiceTime = items.Build().ToSummary() },
                        new StepResult { Name = Cart, Requests = new RequestCounts { Ok = samples, Fail = 0 }, ResponseTime = cart.Build().ToSummary(), ServiceTime = cart.Build().ToSummary() },
                    ],
                },
            ],
        };
    }

    public static string Write(RunResult result, string directory)
    {
        var path = Path.Combine(directory, result.RunId + ".json");
        ResultFile.WriteTo(result, path);
        return path;
    }

    private static long Binomial(Random random, int n, double p)
    {
        long k = 0;
        for (var i = 0; i < n; i++)
        {
            if (random.NextDouble() < p)
            {
                k++;
            }
        }

        return k;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("loadlab-compare-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
