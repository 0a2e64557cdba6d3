using System.Diagnostics;
using LoadLab.Results;

namespace LoadLab.Bench.Infrastructure;

/// <summary>Runs the real <c>loadlab</c> CLI in its own process (so memory and CPU are its own) and reads its result.</summary>
internal static class LoadLabProcess
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "loadlab.dll");

    public static RunResult Run(string profileYaml, string name, params string[] extraArgs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "loadlab-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var profile = Path.Combine(dir, "profile.yaml");
        File.WriteAllText(profile, profileYaml);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliDll, "run", profile, "--results", Path.Combine(dir, "results") }.Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CI"] = "true";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name}: loadlab did not finish in 10 minutes");
        }

        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var path = lines.LastOrDefault();
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException($"{name}: loadlab exited {p.ExitCode} without a result.\n{stdout.Result}\n{stderr.Result}");
        }

        var result = ResultFile.Read(path);
        Directory.Delete(dir, recursive: true);
        return result;
    }
}
