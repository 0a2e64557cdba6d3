using System.Diagnostics;

namespace LoadLab.Dashboards.Tests.Prometheus;

/// <summary>The real promtool (Debian package <c>prometheus</c>).</summary>
internal static class Promtool
{
    public static string BinaryPath => Environment.GetEnvironmentVariable("PROMTOOL_BIN") ?? "/usr/bin/promtool";

    /// <summary>Runs promtool in <paramref name="workingDirectory"/> and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        if (!File.Exists(BinaryPath))
        {
            Assert.Fail($"'{BinaryPath}' was not found; these tests need the real promtool. Install it with: sudo apt-get install -y prometheus");
        }

        var info = new ProcessStartInfo(BinaryPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {BinaryPath}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"promtool {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
