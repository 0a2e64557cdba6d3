using LoadLab.Results;

namespace LoadLab.Cli.Tests.Commands;

public class RunCommandTests
{
    private const string Passing = """
        name: cli
        labels: { service: svc, release: "1.0" }
        scenarios:
          - name: delay
            settings: { latency: 2ms, fail_rate: 0 }
            load: [ { inject: { rate: 100, interval: 1s, during: 1s } } ]
            thresholds: [ "error_rate < 1%", "p95(response_time) < 1s" ]
          - name: noop
            load: [ { iterations_for_constant: { copies: 2, iterations: 500 } } ]
        """;

    [Fact]
    public async Task Run_ThresholdsHold_ExitsZeroAndPrintsResultPathLast()
    {
        var dir = CliRunner.TempDir();
        var (exit, output, error) = await CliRunner.Run("run", CliRunner.WriteProfile(dir, Passing), "--results", dir, "--release", "2.0");
        Assert.True(exit == 0, output + error);
        var path = output.TrimEnd().Split('\n').Last().Trim();
        Assert.EndsWith("result.json", path, StringComparison.Ordinal);
        var result = ResultFile.Read(path);
        Assert.Equal(RunStatus.Passed, result.Status);
        Assert.Equal("2.0", result.Labels["release"]);
        Assert.Equal(100, result.Scenarios.Single(s => s.Name == "delay").Iterations.Ok);
        Assert.Equal(500, result.Scenarios.Single(s => s.Name == "noop").Iterations.Ok);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "report.html")));
        Assert.Contains("PASS delay: error_rate < 1%", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OutFlagOfAKindTheProfileLists_ReplacesTheProfilesOutput()
    {
        var dir = CliRunner.TempDir();
        var profile = CliRunner.WriteProfile(dir, Passing + "\n" + """
            outputs:
              - "prometheus-rw=http://127.0.0.1:9/from-profile"
              - "prometheus=127.0.0.1:0"
            """);

        var (exit, output, error) = await CliRunner.Run("run", profile, "--results", dir, "--out", "prometheus-rw=http://127.0.0.1:9/from-flag");

        Assert.True(exit == 0, output + error);

        var sinks = ResultFile.Read(output.TrimEnd().Split('\n').Last().Trim()).Telemetry.Sinks;
        var remoteWrite = Assert.Single(sinks, s => s.Name == "prometheus-rw");
        Assert.Contains("from-flag", remoteWrite.Endpoint, StringComparison.Ordinal);
        Assert.Single(sinks, s => s.Name == "prometheus");
        Assert.DoesNotContain("from-profile", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ThresholdFails_ExitsFourWithResult()
    {
        var dir = CliRunner.TempDir();
        var profile = CliRunner.WriteProfile(dir, Passing);
        var (exit, output, _) = await CliRunner.Run("run", profile, "--results", dir, "--set", "scenarios.delay.settings.fail_rate=50%");
        Assert.Equal(ExitCodes.Failed, exit);
        var result = ResultFile.Read(output.TrimEnd().Split('\n').Last().Trim());
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.False(result.Thresholds.Single(t => t.Expr == "error_rate < 1%").Passed);
    }

    [Fact]
    public async Task Run_AbortThreshold_ExitsThreeAndMarksAborted()
    {
        var dir = CliRunner.TempDir();
        var profile = CliRunner.WriteProfile(dir, """
            scenarios:
              - name: delay
                settings: { latency: 1ms, fail_rate: 100% }
                load: [ { inject: { rate: 50, interval: 1s, during: 60s } } ]
                thresholds: [ { expr: "error_rate < 10%", abort: true, after: 1s } ]
            """);
        var (exit, output, _) = await CliRunner.Run("run", profile, "--results", dir);
        Assert.Equal(ExitCodes.Aborted, exit);
        Assert.Equal(RunStatus.Aborted, ResultFile.Read(output.TrimEnd().Split('\n').Last().Trim()).Status);
    }

    [Theory]
    [InlineData("scenarios:\n  - name: nope\n    load: [ { pause: { during: 1s } } ]\n", "p.yaml:2:11: scenarios[0].name: unknown scenario 'nope'")]
    [InlineData("scenarios:\n  - name: noop\n    load: [ { inject: { rate: 1, interval: 1s, during: 5 } } ]\n", "scenarios[0].load[0].inject.during: '5' is not a duration")]
    [InlineData("scenarios:\n  - name: noop\n    load: [ { inject: { rate: -1, interval: 1s, during: 1s } } ]\n", "scenarios[0].load[0].inject.rate: must be greater than 0 (got -1)")]
    [InlineData("scenarios:\n  - name: noop\n    load: [ { pause: { during: 1s } } ]\n    thresholds: [ \"p95(response_time) <<< 1s\" ]\n", "scenarios[0].thresholds[0]:")]
    [InlineData("scenarios: [ { name: noop\n", "is not valid YAML")]
    public async Task Run_BadProfile_ExitsTwoWithLocatedMessageAndNoStackTrace(string yaml, string expected)
    {
        var dir = CliRunner.TempDir();
        var (exit, output, error) = await CliRunner.Run("run", CliRunner.WriteProfile(dir, yaml), "--results", dir);
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingFile_ExitsTwo()
    {
        var (exit, _, error) = await CliRunner.Run("run", "/nonexistent/profile.yaml");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("/nonexistent/profile.yaml: does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--segment", "0/4", "--segment '0/4' is not a segment; expected I/N")]
    [InlineData("--segment", "a/b", "--segment 'a/b' is not a segment")]
    [InlineData("--out", "carrier-pigeon=x", "--out carrier-pigeon=x: unknown output 'carrier-pigeon'")]
    [InlineData("--run-id", "a b", "--run-id 'a b' is not valid")]
    public async Task Run_BadFlag_ExitsTwoNamingTheFlag(string flag, string value, string expected)
    {
        var dir = CliRunner.TempDir();
        var profile = CliRunner.WriteProfile(dir, "scenarios:\n  - name: noop\n    load: [ { pause: { during: 1s } } ]\n");
        var (exit, _, error) = await CliRunner.Run("run", profile, flag, value, "--results", dir);
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownFlag_ExitsTwo()
    {
        var (exit, _, error) = await CliRunner.Run("run", "x.yaml", "--speed", "fast");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--speed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_GoodProfile_DescribesIt()
    {
        var dir = CliRunner.TempDir();
        var (exit, output, _) = await CliRunner.Run("validate", CliRunner.WriteProfile(dir, Passing));
        Assert.Equal(0, exit);
        Assert.Contains("Profile 'cli' is valid: 2 scenario(s).", output, StringComparison.Ordinal);
        Assert.Contains("delay: inject (1s); 2 threshold(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsBuiltInsWithSettings()
    {
        var (exit, output, _) = await CliRunner.Run("list");
        Assert.Equal(0, exit);
        Assert.Contains("noop", output, StringComparison.Ordinal);
        Assert.Contains("fail_rate", output, StringComparison.Ordinal);
    }
}
