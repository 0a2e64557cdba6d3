using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LoadLab.Reports.Tests.Browser;

/// <summary>Runs the Debian <c>chromium</c> package headless, without network, on a local file.</summary>
internal static partial class Chromium
{
    public const string InstallHint = "install chromium: apt-get install -y chromium";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    public static string FindExecutable()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail(InstallHint);
        return "";
    }

    /// <summary>Loads the file and returns the serialised DOM and the console messages.</summary>
    public static async Task<(string Dom, IReadOnlyList<string> Console)> DumpDomAsync(string htmlFile)
    {
        var (stdout, stderr) = await RunAsync(htmlFile, "--dump-dom");
        return (stdout, ConsoleMessages(stderr));
    }

    /// <summary>Loads the file and writes a PNG screenshot of a 1280x2000 window; returns the console messages.</summary>
    public static async Task<IReadOnlyList<string>> ScreenshotAsync(string htmlFile, string pngFile)
    {
        var (_, stderr) = await RunAsync(htmlFile, "--screenshot=" + pngFile, "--window-size=1280,2000");
        Assert.True(File.Exists(pngFile), "chromium wrote no screenshot: " + stderr);
        return ConsoleMessages(stderr);
    }

    /// <summary>The lines chromium logs for console output (errors, warnings, uncaught exceptions) and failed loads.</summary>
    internal static List<string> ConsoleMessages(string stderr) => stderr.Split('\n')
        .Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal) || l.Contains("net::ERR_", StringComparison.Ordinal))
        .ToList();

    private static async Task<(string Stdout, string Stderr)> RunAsync(string htmlFile, params string[] extra)
    {
        var exe = FindExecutable();
        var profile = Directory.CreateTempSubdirectory("loadlab-chromium-");
        try
        {
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.FullName, "--enable-logging=stderr", "--v=0",
            }.Concat(extra))
            {
                psi.ArgumentList.Add(arg);
            }

            psi.ArgumentList.Add(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(s_timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within {s_timeout.TotalSeconds} s");
            }

            return (await stdout, await stderr);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may still hold the profile for a moment; the temp folder is cleaned later.
            }
        }
    }

    /// <summary>Finds every chart figure in a DOM and returns, per chart id, whether it holds an svg with a non-empty path.</summary>
    public static Dictionary<string, bool> Charts(string dom)
    {
        var charts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (Match m in FigureRegex().Matches(dom))
        {
            var body = m.Groups["body"].Value;
            charts[m.Groups["id"].Value] = body.Contains("<svg", StringComparison.Ordinal) && PathRegex().IsMatch(body);
        }

        return charts;
    }

    [GeneratedRegex("<figure class=\"chart\" id=\"(?<id>[^\"]+)\">(?<body>.*?)</figure>", RegexOptions.Singleline)]
    private static partial Regex FigureRegex();

    [GeneratedRegex("<path class=\"series\"[^>]* d=\"M[0-9.]+,[0-9.]+(L[0-9.]+,[0-9.]+)+")]
    private static partial Regex PathRegex();
}
