using System.CommandLine;
using LoadLab.Compare;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Results;
using LoadLab.Telemetry;

namespace LoadLab.Cli.Commands;

/// <summary>
/// A <c>loadlab</c> sub-command. It turns the user's mistakes (<see cref="UserInputException"/>,
/// <see cref="ConfigurationException"/>, <see cref="ResultFileException"/>,
/// <see cref="SinkConfigurationException"/>, <see cref="SinkStartException"/>,
/// <see cref="CompareInputException"/>) into a clear message on
/// stderr and exit code 2, and never shows a stack trace for them.
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
            catch (Exception e) when (IsUserError(e))
            {
                await Error(parseResult).WriteLineAsync($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Error(parseResult).WriteLineAsync("interrupted");
                return ExitCodes.Aborted;
            }
        });
    }

    protected static TextWriter Out(ParseResult parseResult) => parseResult.InvocationConfiguration.Output;

    protected static TextWriter Error(ParseResult parseResult) => parseResult.InvocationConfiguration.Error;

    /// <summary>Gets whether an exception is a mistake of the user's (exit 2) rather than LoadLab's.</summary>
    protected virtual bool IsUserError(Exception e) =>
        e is UserInputException or ConfigurationException or ResultFileException or SinkConfigurationException or SinkStartException
        or CompareInputException;

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);
}
