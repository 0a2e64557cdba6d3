using System.CommandLine;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// Waits until Ctrl+C or SIGTERM (what <c>docker stop</c> and Kubernetes send), or <paramref name="cancellationToken"/>,
    /// for commands that serve until stopped (<c>targets</c>, <c>proxy</c>).
    /// </summary>
    /// <param name="cancellationToken">Also stops the wait.</param>
    /// <returns>A task that completes when asked to stop.</returns>
    protected static async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop: the caller shuts down cleanly.
        }
    }

    /// <summary>Gets whether an exception is a mistake of the user's (exit 2) rather than LoadLab's.</summary>
    protected virtual bool IsUserError(Exception e) =>
        e is UserInputException or ConfigurationException or ResultFileException or SinkConfigurationException or SinkStartException
        or CompareInputException;

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);
}
