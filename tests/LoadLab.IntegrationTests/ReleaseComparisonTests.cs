using LoadLab.Results;

namespace LoadLab.IntegrationTests;

/// <summary>
/// Issue 5's "done when": two runs of the sample service, the candidate with
/// latency:/v1/items:+20%, are judged Regressed on the item steps and Pass on the payment steps.
/// </summary>
[Collection(ReleaseRunsCollection.Name)]
public class ReleaseComparisonTests(ReleaseRunsFixture runs)
{
    [Fact]
    public async Task Compare_CandidateWithSlowerItems_RegressedOnItemStepsOnly()
    {
        var (baseline, candidate) = (runs.Baseline, runs.Candidate);
        var dir = Cli.TempDir();
        var json = Path.Combine(dir, "compare.json");
        var (exit, output, error) = await Cli.Run("compare", "--baseline", baseline, "--candidate", candidate, "--format", "json", "--output", json);
        Assert.True(exit == 4, $"exit {exit}: {output} {error}");
        Assert.Contains("\"Regressed\"", File.ReadAllText(json), StringComparison.Ordinal);

        var (md, markdown, _) = await Cli.Run("compare", "--baseline", baseline, "--candidate", candidate, "--format", "markdown");
        Assert.Equal(4, md);
        var rows = markdown.Split('\n');
        var listRow = rows.First(l => l.StartsWith("| browse_catalog › list_items | latency", StringComparison.Ordinal));
        // 1,224 list_items samples a side: the p95 of a lognormal (p99 = 3 x median) is known to about
        // 3% a run, so a 20% slowdown stands well clear of the 5% tolerance.
        Assert.True(listRow.Contains("Regressed", StringComparison.Ordinal), markdown);
        var authorizeRow = rows.First(l => l.StartsWith("| payment_flow › authorize | latency", StringComparison.Ordinal));
        Assert.False(authorizeRow.Contains("Regressed", StringComparison.Ordinal), markdown);
        Assert.Equal("1.4.2", ResultFile.Read(candidate).Labels["release"]);
    }
}
