using System.CommandLine;
using System.Diagnostics;
using LoadLab.Cli;

namespace LoadLab.IntegrationTests;

internal static class Cli
{
    public static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public static string LastLine(string output) => output.TrimEnd().Split('\n').Last().Trim();

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "loadlab-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string Profile(string dir, string yaml)
    {
        var path = Path.Combine(dir, $"profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Starts the real loadlab executable (the test output carries loadlab.dll) in its own process.</summary>
    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "loadlab.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CI"] = "true";
        return Process.Start(psi)!;
    }
}
