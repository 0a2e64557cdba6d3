using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using LoadLab.Targets;
using LoadLab.TestUtils.Servers;

namespace LoadLab.IntegrationTests;

/// <summary>
/// <c>loadlab proxy</c> as a real process, as a container runs it: the admin token from LOADLAB_ADMIN_TOKEN (not on
/// the command line, where the process list shows it), and SIGTERM (what <c>docker stop</c> sends) ends it cleanly.
/// </summary>
public class ProxyProcessTests
{
    private const string Token = "proxy-it-token-0123456789";

    [Fact]
    public async Task Proxy_TokenFromEnvironmentAndSigterm_GuardsAdminApiAndStopsCleanly()
    {
        await using var targets = await TargetHost.StartAsync(new TargetOptions { LogOutput = TextWriter.Null }, CancellationToken.None);
        var listen = ServerProcess.GetFreePort();
        var admin = ServerProcess.GetFreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "loadlab.dll"), "proxy", "--target", targets.ApiUrl.ToString(),
            "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--name", "api",
        })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LOADLAB_ADMIN_TOKEN"] = Token;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new System.Text.StringBuilder();
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (await process.StandardOutput.ReadLineAsync(ready.Token) is { } line)
            {
                stdout.AppendLine(line);
                if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        var rest = process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using (var proxied = await http.GetAsync(new Uri($"http://127.0.0.1:{listen}/health")))
        {
            Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        }

        var faults = new Uri($"http://127.0.0.1:{admin}/faults");
        using (var anonymous = await http.GetAsync(faults))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, faults))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var authorized = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var output = stdout + await rest;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, output + errors);
        Assert.Contains("proxy stopped", output, StringComparison.Ordinal);

        // The token came from the environment: nothing generated, nothing printed.
        Assert.DoesNotContain("admin token", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output + errors, StringComparison.Ordinal);
    }
}
