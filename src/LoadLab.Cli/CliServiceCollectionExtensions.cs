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
        services.AddSingleton(_ => new ScenarioCatalog()
            .Add(BuiltInScenarios.Factories)
            .Add([new LoadLab.Http.Scenarios.HttpScenarioFactory()])
            .Add(LoadLab.Scenarios.ScenarioLibrary.Factories));
        services.AddSingleton(_ =>
        {
            var registry = new SinkRegistry();
            foreach (var (name, factory) in LoadLab.Sinks.Prometheus.PrometheusSinks.Factories)
            {
                registry.Register(name, factory);
            }

            return registry.Register(LoadLab.Sinks.Otlp.OtlpSinks.Name, LoadLab.Sinks.Otlp.OtlpSinks.Create);
        });
        services.AddSingleton<Command, RunCommand>();
        services.AddSingleton<Command, ValidateCommand>();
        services.AddSingleton<Command, ListCommand>();
        services.AddSingleton<Command, DemoCommand>();
        services.AddSingleton<Command, TargetsCommand>();
        services.AddSingleton<Command, MergeCommand>();
        services.AddSingleton<Command, ProxyCommand>();
        services.AddSingleton<Command, GamedayCommand>();
        services.AddSingleton<Command, CompareCommand>();
        services.AddSingleton<Command, GateCommand>();
        services.AddSingleton<Command, ReportCommand>();
        return services;
    }
}
