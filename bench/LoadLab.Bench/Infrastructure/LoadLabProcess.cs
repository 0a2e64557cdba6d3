using System.Diagnostics;
using System.Globalization;
using LoadLab.Results;

namespace LoadLab.Bench.Infrastructure;

/// <summary>Runs the real <c>loadlab</c> CLI in its own process (so memory and CPU are its own) and reads its result.</summary>
internal static class LoadLabProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "loadlab.dll");

    public static RunResult Run(string profileYaml, string name, params string[] extraArgs)
    {
        var dir = NewDirectory(name);
        var profile = WriteProfile(dir, profileYaml);
        using var p = Start(["run", profile, "--results", Path.Combine(dir, "results"), .. extraArgs]);
        var result = ResultFile.Read(p.ResultPath(name));
        Directory.Delete(dir, recursive: true);
        return result;
    }

    /// <summary>
    /// Runs a profile as <paramref name="segments"/> processes at once (<c>--segment i/N</c>, one run id),
    /// then merges their results with <c>loadlab merge</c>, as a distributed run on one machine does.
    /// </summary>
    /// <returns>The parts (segment 1 first) and the merged result.</returns>
    public static (IReadOnlyList<RunResult> Parts, RunResult Merged) RunSegments(string profileYaml, string name, int segments)
    {
        var dir = NewDirectory(name);
        var profile = WriteProfile(dir, profileYaml);
        var runId = $"{name}-{Guid.NewGuid():N}";
        var processes = Enumerable.Range(1, segments)
            .Select(i => Start(["run", profile, "--segment", $"{i}/{segments}", "--run-id", runId, "--results", Path.Combine(dir, $"segment-{i}")]))
            .ToList();
        var paths = new List<string>();
        try
        {
            // The processes run side by side (their output is read as it comes); wait for each in turn.
            paths.AddRange(processes.Select((p, i) => p.ResultPath($"{name} segment {i + 1}/{segments}")));
        }
        finally
        {
            foreach (var p in processes)
            {
                p.Dispose();
            }
        }

        var mergedPath = Path.Combine(dir, "merged.json");
        using (var merge = Start(["merge", .. paths, "--output", mergedPath]))
        {
            if (merge.ResultPath($"{name} merge") != Path.GetFullPath(mergedPath))
            {
                throw new InvalidOperationException($"{name}: loadlab merge did not print {mergedPath} last");
            }
        }

        var parts = paths.Select(ResultFile.Read).ToList();
        var merged = ResultFile.Read(mergedPath);
        Directory.Delete(dir, recursive: true);
        return (parts, merged);
    }

    private static string NewDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "loadlab-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string WriteProfile(string dir, string profileYaml)
    {
        var profile = Path.Combine(dir, "profile.yaml");
        File.WriteAllText(profile, profileYaml);
        return profile;
    }

    private static Running Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Prepend(CliDll))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CI"] = "true";
        return new Running(Process.Start(psi)!);
    }

    /// <summary>A started loadlab process whose output is read from the start, so a full pipe never stalls it.</summary>
    private sealed class Running(Process process) : IDisposable
    {
        private readonly Task<string> _stdout = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _stderr = process.StandardError.ReadToEndAsync();

        /// <summary>Waits for the process and returns the file it printed last (run and merge print their result's path).</summary>
        public string ResultPath(string name)
        {
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{name}: loadlab did not finish in {s_timeout.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes");
            }

            var lines = _stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var path = lines.LastOrDefault();
            if (path is null || !File.Exists(path))
            {
                throw new InvalidOperationException($"{name}: loadlab exited {process.ExitCode} without a result.\n{_stdout.Result}\n{_stderr.Result}");
            }

            return path;
        }

        /// <summary>Stops the process if it still runs (a sibling failed) and releases it.</summary>
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
