using System.CommandLine;
using LoadLab.Engine.Configuration;
using LoadLab.Results;
using LoadLab.Telemetry;

namespace LoadLab.Cli.Commands;

/// <summary>
/// A <c>loadlab</c> sub-command. It turns the user's mistakes (<see cref="UserInputException"/>,
/// <see cref="ConfigurationException"/>, <see cref="ResultFileException"/>,
/// <see cref="SinkConfigurationException"/>) into one clear line on stderr and exit code 2, and
/// never shows a stack trace for them.
/// </summary>
internal abstract class BaseCommand : Command
{
    protected BaseCommand(string name, string description)
        : base(name, description)
    {
        SetAction(async (parseResult, ct) =>
        {
            try
            {
                return await ExecuteAsync(parseResult, ct);
            }
            catch (Exception e) when (e is UserInputException or ConfigurationException or ResultFileException or SinkConfigurationException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("interrupted");
                return ExitCodes.Aborted;
            }
        });
    }

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);
}
