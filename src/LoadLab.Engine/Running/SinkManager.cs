using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Telemetry;
using Microsoft.Extensions.Logging;

namespace LoadLab.Engine.Running;

/// <summary>
/// Starts, feeds and stops the sinks (NBomber's life cycle). If one fails to start, those already
/// started are stopped and the run fails before load begins. Failures while publishing or stopping
/// are logged and counted, never fatal.
/// </summary>
internal sealed class SinkManager(IReadOnlyList<ITelemetrySink> sinks, ILogger logger)
{
    private readonly List<ITelemetrySink> _started = [];
    private readonly Dictionary<string, long> _publishErrors = new(StringComparer.Ordinal);

    public async Task StartAsync(SinkContext context, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            try
            {
                await sink.StartAsync(context, cancellationToken).ConfigureAwait(false);
                _started.Add(sink);
            }
            catch (Exception e)
            {
                logger.LogError("Sink {Sink} failed to start: {Message}", sink.Name, e.Message);
                await StopStartedAsync(context).ConfigureAwait(false);
                throw new SinkStartException($"The '{sink.Name}' output could not start: {e.Message}", e);
            }
        }
    }

    private async Task StopStartedAsync(SinkContext context)
    {
        var empty = new RunSummary { Result = new RunResult { RunId = context.RunId, Status = RunStatus.Failed } };
        foreach (var s in _started)
        {
            try
            {
                await s.StopAsync(empty, CancellationToken.None).ConfigureAwait(false);
                await s.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogWarning("Sink {Sink} failed to stop: {Message}", s.Name, e.Message);
            }
        }

        _started.Clear();
    }

    public void Publish(ReadOnlySpan<MetricSample> samples)
    {
        foreach (var sink in _started)
        {
            try
            {
                sink.Publish(samples);
            }
            catch (Exception e)
            {
                // The contract says Publish never throws; a sink that does is counted, not trusted.
                _publishErrors[sink.Name] = _publishErrors.GetValueOrDefault(sink.Name) + 1;
                logger.LogWarning("Sink {Sink} threw while publishing: {Message}", sink.Name, e.Message);
            }
        }
    }

    public async Task<List<SinkReport>> StopAsync(RunSummary summary, TimeSpan timeout)
    {
        var reports = new List<SinkReport>();
        foreach (var sink in _started)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await sink.StopAsync(summary, cts.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogWarning("Sink {Sink} failed to flush: {Message}", sink.Name, e.Message);
                _publishErrors[sink.Name] = _publishErrors.GetValueOrDefault(sink.Name) + 1;
            }

            SinkReport report;
            try
            {
                report = sink.GetReport();
            }
            catch (Exception e)
            {
                report = new SinkReport { Name = sink.Name, Delivered = false, LastError = e.Message };
            }

            if (_publishErrors.TryGetValue(sink.Name, out var n))
            {
                report.Errors += n;
                report.Delivered = false;
            }

            reports.Add(report);
            try
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogWarning("Sink {Sink} failed to dispose: {Message}", sink.Name, e.Message);
            }
        }

        return reports;
    }
}

/// <summary>A telemetry output could not start; the run did not begin.</summary>
public sealed class SinkStartException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SinkStartException"/> class.</summary>
    public SinkStartException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SinkStartException"/> class.</summary>
    /// <param name="message">What failed.</param>
    public SinkStartException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SinkStartException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public SinkStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
