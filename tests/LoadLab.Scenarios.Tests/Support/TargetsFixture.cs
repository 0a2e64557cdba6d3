using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Results;
using LoadLab.Targets;

namespace LoadLab.Scenarios.Tests.Support;

/// <summary>The real sample targets (api-service and payments-service) on free loopback ports, shared by a test class.</summary>
public sealed class TargetsFixture : IAsyncLifetime, IDisposable
{
    private readonly StringWriter _log = new();

    public TargetHost Host { get; private set; } = null!;

    /// <summary>Gets everything the targets logged (JSON lines).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Dispose() => _log.Dispose();

    public async Task InitializeAsync()
    {
        Host = await TargetHost.StartAsync(
            new TargetOptions
            {
                Seed = 7,
                LatencyScale = 0,
                CardProcessorMedian = TimeSpan.FromMilliseconds(1),
                CardProcessorP99 = TimeSpan.FromMilliseconds(3),
                LogOutput = TextWriter.Synchronized(_log),
            },
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _log.DisposeAsync();
    }

    /// <summary>Loads a profile whose targets are these services and runs it.</summary>
    public async Task<ScenarioResult> RunAsync(string scenarioYaml)
    {
        var profile = Load($"""
            name: scenario-test
            seed: 11
            targets: {"{"} api: "{Host.ApiUrl}", payments: "{Host.PaymentsUrl}" {"}"}
            scenarios:
            {scenarioYaml}
            """);
        var result = await LoadEngine.RunAsync(new RunOptions { Scenarios = profile.Scenarios, Seed = profile.Seed }, CancellationToken.None);
        return Assert.Single(result.Scenarios);
    }

    public static Profile Load(string yaml) =>
        new ProfileLoader(new ScenarioCatalog().Add(ScenarioLibrary.Factories)).LoadText(yaml, "test.yaml", new ProfileOverrides());

    /// <summary>Sums the samples of a metric in a target's /metrics whose labels include <paramref name="label"/> (e.g. outcome="approved").</summary>
    public static async Task<double> MetricAsync(Uri service, string name, string label)
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri(service, "metrics"));
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
