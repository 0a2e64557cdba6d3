using LoadLab.Results;

namespace LoadLab.Cli.Tests.Commands;

public class MergeCommandTests
{
    private const string Profile = """
        name: seg
        scenarios:
          - name: delay
            settings: { latency: 2ms }
            load: [ { inject: { rate: 90, interval: 1s, during: 1s } } ]
            thresholds: [ "rps > 60" ]
        """;

    [Fact]
    public async Task Merge_ThreeSegments_ExactTotalsAndThresholdsOnTheWhole()
    {
        var dir = CliRunner.TempDir();
        var profile = CliRunner.WriteProfile(dir, Profile);
        var paths = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var (exit, output, error) = await CliRunner.Run("run", profile, "--segment", $"{i}/3", "--run-id", "seg-run", "--results", Path.Combine(dir, $"s{i}"));
            Assert.True(exit == ExitCodes.Failed, $"a third of the rate fails 'rps > 60' alone: {exit} {error}");
            paths.Add(output.TrimEnd().Split('\n').Last().Trim());
        }

        var merged = Path.Combine(dir, "merged.json");
        var (code, _, err) = await CliRunner.Run(["merge", .. paths, "--output", merged]);
        Assert.True(code == 0, err);
        var result = ResultFile.Read(merged);
        Assert.Equal(90, result.Scenarios[0].Iterations.Ok);
        Assert.Equal(90, result.Scenarios[0].Rate.Target, 3);
        Assert.True(result.Thresholds[0].Passed);
        var parts = paths.Select(ResultFile.Read).ToList();
        Assert.All(parts, p => Assert.Equal(30, p.Scenarios[0].Iterations.Ok));
    }

    [Fact]
    public async Task Merge_MissingFile_ExitsTwo()
    {
        var (code, _, err) = await CliRunner.Run("merge", "/nonexistent/r.json", "--output", "/tmp/x.json");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("/nonexistent/r.json' does not exist", err, StringComparison.Ordinal);
    }
}
