using System.CommandLine;
using LoadLab.Cli.Commands;
using LoadLab.Cli.Sinks;
using LoadLab.Engine.BuiltIns;
using LoadLab.Engine.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LoadLab.Cli;

/// <summary>Registers the CLI's commands, the scenario catalog and the sink registry.</summary>
public static class CliServiceCollectionExtensions
{
    /// <summary>Adds everything the <c>loadlab</c> commands need.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLoadLabCli(this IServiceCollection services)
    {
        services.AddSingleton(_ => new ScenarioCatalog().Add(BuiltInScenarios.Factories));
        services.AddSingleton(_ => new SinkRegistry());
        services.AddSingleton<Command, RunCommand>();
        services.AddSingleton<Command, ValidateCommand>();
        services.AddSingleton<Command, ListCommand>();
        services.AddSingleton<Command, DemoCommand>();
        services.AddSingleton<Command, TargetsCommand>();
        services.AddSingleton<Command, MergeCommand>();
        return services;
    }
}
