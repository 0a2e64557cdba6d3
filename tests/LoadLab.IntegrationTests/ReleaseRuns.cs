using LoadLab.Targets;

namespace LoadLab.IntegrationTests;

/// <summary>The load of a release run: iterations per second of each scenario, for a number of seconds after a 3-second warm-up.</summary>
/// <param name="BrowseRate">browse_catalog iterations per second (three catalogue requests each).</param>
/// <param name="PaymentRate">payment_flow iterations per second.</param>
/// <param name="Seconds">The measured seconds.</param>
internal sealed record ReleaseLoad(int BrowseRate, int PaymentRate, int Seconds)
{
    /// <summary>Gets the load of one run at a time: 1,200 catalogue requests of each step in 12 seconds.</summary>
    public static ReleaseLoad Default { get; } = new(100, 10, 12);
}

/// <summary>
/// The two runs of issue 5's "done when": the sample targets started as one release, browsed and paid
/// against, the result file written to a folder. Shared by the comparison from files and the
/// comparison from Prometheus.
/// </summary>
internal static class ReleaseRuns
{
    /// <summary>Runs release <paramref name="release"/> of the sample targets under <see cref="ReleaseLoad.Default"/> and returns the result file.</summary>
    /// <param name="dir">The results folder.</param>
    /// <param name="release">The release label of the targets and of the run.</param>
    /// <param name="runArgs">More arguments for <c>loadlab run</c>, e.g. <c>--out prometheus-rw=URL</c>.</param>
    /// <param name="regressions">The targets' regression specs, e.g. <c>latency:/v1/items:+20%</c>.</param>
    /// <returns>The path of the result file.</returns>
    public static Task<string> RunAsync(string dir, string release, IReadOnlyList<string> runArgs, params string[] regressions) =>
        RunAsync(dir, release, ReleaseLoad.Default, runArgs, regressions);

    /// <summary>Runs release <paramref name="release"/> of the sample targets under <paramref name="load"/> and returns the result file.</summary>
    /// <param name="dir">The results folder.</param>
    /// <param name="release">The release label of the targets and of the run.</param>
    /// <param name="load">The load.</param>
    /// <param name="runArgs">More arguments for <c>loadlab run</c>, e.g. <c>--out prometheus-rw=URL</c>.</param>
    /// <param name="regressions">The targets' regression specs, e.g. <c>latency:/v1/items:+20%</c>.</param>
    /// <returns>The path of the result file.</returns>
    public static async Task<string> RunAsync(string dir, string release, ReleaseLoad load, IReadOnlyList<string> runArgs, params string[] regressions)
    {
        var options = new TargetOptions { LogOutput = TextWriter.Null, Seed = 11, Release = release };
        // A realistic 50 ms for the catalogue: 20% of it (10 ms) stands clear of the timing noise of a busy 2-core machine.
        options.EndpointLatencies["/v1/items"] = TimeSpan.FromMilliseconds(50);
        options.EndpointLatencies["/v1/items/{id}"] = TimeSpan.FromMilliseconds(50);
        foreach (var r in regressions)
        {
            options.Regressions.Add(r);
        }

        await using var targets = await TargetHost.StartAsync(options, CancellationToken.None);
        var profile = Cli.Profile(dir, $$"""
            name: release-compare
            labels: { service: demo-shop, environment: it, release: "{{release}}" }
            targets: { api: "{{targets.ApiUrl}}", payments: "{{targets.PaymentsUrl}}" }
            seed: 5
            scenarios:
              - name: browse_catalog
                settings: { views: 1 }
                warm_up: 3s
                load: [ { inject: { rate: {{load.BrowseRate}}, interval: 1s, during: {{load.Seconds}}s } } ]
              - name: payment_flow
                warm_up: 3s
                load: [ { inject: { rate: {{load.PaymentRate}}, interval: 1s, during: {{load.Seconds}}s } } ]
            """);
        var (exit, output, error) = await Cli.Run(["run", profile, "--results", dir, .. runArgs]);
        Assert.True(exit == 0, output + error);
        return Cli.LastLine(output);
    }
}
