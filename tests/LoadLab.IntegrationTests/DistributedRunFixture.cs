using System.Diagnostics;
using System.Globalization;
using LoadLab.Results;
using LoadLab.Targets;

namespace LoadLab.IntegrationTests;

/// <summary>
/// Runs one open-model profile as three separate <c>loadlab run --segment I/3</c> processes at once
/// (one run id, one results folder each) against the sample targets on loopback, and keeps the three
/// result files for the tests to merge. The load runs once for all tests of the class.
/// </summary>
public sealed class DistributedRunFixture : IAsyncLifetime
{
    /// <summary>The number of segments (processes).</summary>
    public const int Segments = 3;

    /// <summary>The whole run's arrival rate per second.</summary>
    public const int Rate = 60;

    /// <summary>The whole run's duration in seconds.</summary>
    public const int Seconds = 10;

    /// <summary>The run id that every segment shares.</summary>
    public const string RunId = "dist-it-42";

    private TargetHost? _targets;

    /// <summary>Gets the folder that holds the profile, the parts and what the tests write.</summary>
    public string Dir { get; } = Cli.TempDir();

    /// <summary>Gets the parts' result files, segment 1 first.</summary>
    public IReadOnlyList<string> Parts { get; private set; } = [];

    /// <summary>Gets the parts' exit codes, segment 1 first.</summary>
    public IReadOnlyList<int> PartExitCodes { get; private set; } = [];

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _targets = await TargetHost.StartAsync(new TargetOptions { LogOutput = TextWriter.Null, LogRequests = false, Seed = 3 }, CancellationToken.None);
        var profile = Cli.Profile(Dir, $$"""
            name: distributed
            labels: { service: demo-shop, environment: it, release: "1.0.0" }
            targets: { api: "{{_targets.ApiUrl}}" }
            seed: 9
            scenarios:
              - name: browse_catalog
                settings: { views: 1 }
                warm_up: 2s
                load: [ { inject: { rate: {{Rate}}, interval: 1s, during: {{Seconds}}s } } ]
                thresholds:
                  - "rps > 45"
                  - "p95(response_time) < 10s"
            """);

        // All three at once, as on a cluster: each process is its own generator.
        var processes = Enumerable.Range(1, Segments)
            .Select(i => Cli.Start("run", profile, "--segment", $"{i}/{Segments}", "--run-id", RunId, "--results", Path.Combine(Dir, $"s{i}")))
            .ToList();
        var finished = await Task.WhenAll(processes.Select(WaitAsync));
        PartExitCodes = finished.Select(f => f.Exit).ToList();
        Parts = finished.Select((f, i) => File.Exists(Cli.LastLine(f.Out)) ? Cli.LastLine(f.Out)
            : throw new InvalidOperationException($"segment {i + 1}/{Segments} exited {f.Exit} without a result file:\n{f.Out}\n{f.Error}")).ToList();
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_targets is not null)
        {
            await _targets.DisposeAsync();
        }
    }

    private static async Task<(int Exit, string Out, string Error)> WaitAsync(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // 10 s of load plus start-up; a process still running after 2 minutes is hung.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"loadlab (pid {process.Id.ToString(CultureInfo.InvariantCulture)}) did not finish in 2 minutes:\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
