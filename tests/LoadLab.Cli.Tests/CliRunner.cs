using System.CommandLine;

namespace LoadLab.Cli.Tests;

/// <summary>Runs the real command tree in-process with captured output.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "loadlab-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string WriteProfile(string dir, string yaml, string name = "p.yaml")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
