using LoadLab.Results;

namespace LoadLab.IntegrationTests;

/// <summary>SIGTERM (as CI runners and Kubernetes send) stops the load and still writes the result.</summary>
public class InterruptTests
{
    [Fact]
    public async Task Run_Sigterm_WritesPartialResultMarkedInterruptedAndExitsThree()
    {
        var dir = Cli.TempDir();
        var profile = Cli.Profile(dir, """
            scenarios:
              - name: delay
                settings: { latency: 2ms }
                load: [ { inject: { rate: 100, interval: 1s, during: 120s } } ]
            """);
        using var process = Cli.Start("run", profile, "--results", dir);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 3, output + await stderr);
        var result = ResultFile.Read(Cli.LastLine(output));
        Assert.Equal(RunStatus.Interrupted, result.Status);
        Assert.InRange(result.Scenarios[0].Iterations.Ok, 50, 2000);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Cli.LastLine(output))!, "report.html")));
    }
}
