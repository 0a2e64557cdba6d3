using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace LoadLab.Cli;

/// <summary>Builds the <c>loadlab</c> command tree from DI and runs it with LoadLab's exit codes.</summary>
public static class CliApp
{
    /// <summary>Creates the root command with every sub-command.</summary>
    /// <returns>The root command.</returns>
    public static RootCommand CreateRootCommand() => CreateRootCommand(new ServiceCollection().AddLoadLabCli().BuildServiceProvider());

    internal static RootCommand CreateRootCommand(IServiceProvider services)
    {
        var root = new RootCommand("LoadLab: load and chaos testing for .NET teams, with telemetry that lines up.");
        foreach (var command in services.GetServices<Command>())
        {
            root.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs a command line. Bad flags print the problem and return 2.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="configuration">Output writers (tests), or null for the console.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration, CancellationToken cancellationToken)
    {
        // LoadLab handles SIGINT/SIGTERM itself (a run must write its partial result), so
        // System.CommandLine must not kill the process after its own short timeout.
        configuration ??= new InvocationConfiguration();
        configuration.ProcessTerminationTimeout = null;
        var root = CreateRootCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"error: {e.Message}");
            }

            await configuration.Error.WriteLineAsync($"Run 'loadlab {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(1))} --help' for the usage.");
            return ExitCodes.InvalidInput;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
