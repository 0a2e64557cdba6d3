using LoadLab.Results;
using LoadLab.Targets;

namespace LoadLab.IntegrationTests;

/// <summary>
/// Issue 5's "done when": two runs of the sample service, the candidate with
/// latency:/v1/items:+20%, are judged Regressed on the item steps and Pass on the payment steps.
/// </summary>
public class ReleaseComparisonTests
{
    private static async Task<string> RunRelease(string dir, string release, params string[] regressions)
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
                load: [ { inject: { rate: 100, interval: 1s, during: 12s } } ]
              - name: payment_flow
                warm_up: 3s
                load: [ { inject: { rate: 10, interval: 1s, during: 12s } } ]
            """);
        var (exit, output, error) = await Cli.Run("run", profile, "--results", dir);
        Assert.True(exit == 0, output + error);
        return Cli.LastLine(output);
    }

    [Fact]
    public async Task Compare_CandidateWithSlowerItems_RegressedOnItemStepsOnly()
    {
        var dir = Cli.TempDir();
        var baseline = await RunRelease(dir, "1.4.1");
        var candidate = await RunRelease(dir, "1.4.2", "latency:/v1/items:+20%");
        var json = Path.Combine(dir, "compare.json");
        var (exit, output, error) = await Cli.Run("compare", "--baseline", baseline, "--candidate", candidate, "--format", "json", "--output", json);
        Assert.True(exit == 4, $"exit {exit}: {output} {error}");
        Assert.Contains("\"Regressed\"", File.ReadAllText(json), StringComparison.Ordinal);

        var (md, markdown, _) = await Cli.Run("compare", "--baseline", baseline, "--candidate", candidate, "--format", "markdown");
        Assert.Equal(4, md);
        var rows = markdown.Split('\n');
        var listRow = rows.First(l => l.StartsWith("| browse_catalog › list_items | latency", StringComparison.Ordinal));
        // 1,200 list_items samples a side: the p95 of a lognormal (p99 = 3 x median) is known to about
        // 3% a run, so a 20% slowdown stands well clear of the 5% tolerance.
        Assert.True(listRow.Contains("Regressed", StringComparison.Ordinal), markdown);
        var authorizeRow = rows.First(l => l.StartsWith("| payment_flow › authorize | latency", StringComparison.Ordinal));
        Assert.False(authorizeRow.Contains("Regressed", StringComparison.Ordinal), markdown);
        Assert.Equal("1.4.2", ResultFile.Read(candidate).Labels["release"]);
    }
}
