using System.Diagnostics;
using LoadLab.Targets.Chaos;
using LoadLab.Targets.Observability;
using LoadLab.Targets.Simulation;
using Polly;
using Polly.Retry;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Timeout;

namespace LoadLab.Targets.Payments;

/// <summary>The card processor's answer to an authorization.</summary>
internal sealed record Authorization(bool Approved, string? DeclineReason);

/// <summary>The card processor failed (error, outage or timeout) after the pipeline's retries.</summary>
internal sealed class CardProcessorException(string reason, Exception? inner = null)
    : Exception($"The card processor failed: {reason}.", inner)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// The simulated card-processor dependency of payments-service: lognormal latency, decline rules,
/// called through a Polly pipeline (retry, per-attempt timeout) whose innermost strategies are the
/// chaos faults switched at run time through <see cref="DependencyFaultSwitch"/>.
/// </summary>
internal sealed class CardProcessor
{
    /// <summary>Amounts above this many major units are declined with insufficient_funds (JPY: 100 times as many).</summary>
    public const decimal InsufficientFundsLimit = 10_000m;

    private readonly LognormalLatency _latency;
    private readonly SharedRandom _random;
    private readonly TimeProvider _timeProvider;
    private readonly ServiceMetrics _metrics;
    private readonly ResiliencePipeline _pipeline;

    public CardProcessor(TargetOptions options, SharedRandom random, ServiceMetrics metrics, DependencyFaultSwitch faults)
    {
        _latency = new LognormalLatency(options.CardProcessorMedian, options.CardProcessorP99);
        _random = random;
        _timeProvider = options.TimeProvider;
        _metrics = metrics;
        _pipeline = BuildPipeline(options, random, metrics, faults);
    }

    public Task<Authorization> AuthorizeAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        CallAsync("authorize", () => Decide(request), cancellationToken);

    public Task<bool> CaptureAsync(CancellationToken cancellationToken) =>
        CallAsync("capture", () => true, cancellationToken);

    public Task<bool> RefundAsync(CancellationToken cancellationToken) =>
        CallAsync("refund", () => true, cancellationToken);

    internal static Authorization Decide(PaymentRequest request)
    {
        if (request.CardNumber == Cards.FraudCard)
        {
            return new Authorization(false, "suspected_fraud");
        }

        var limit = InsufficientFundsLimit * (Currencies.Factor(request.Currency) == 1m ? 100m : 1m);
        if (request.CardNumber == Cards.InsufficientFundsCard || Currencies.ToMajor(request.AmountMinor, request.Currency) > limit)
        {
            return new Authorization(false, "insufficient_funds");
        }

        return new Authorization(true, null);
    }

    private static ResiliencePipeline BuildPipeline(TargetOptions options, SharedRandom random, ServiceMetrics metrics, DependencyFaultSwitch faults)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider };
        if (options.CardProcessorRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<InjectedFaultException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = options.CardProcessorRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(20),
                UseJitter = true,
            });
        }

        builder.AddTimeout(options.CardProcessorTimeout);

        // Fault before latency so injected faults don't wait.
        builder.AddChaosFault(new ChaosFaultStrategyOptions
        {
            Randomizer = random.NextDouble,
            EnabledGenerator = _ => ValueTask.FromResult(faults.Current.Outage || faults.Current.ErrorRate > 0),
            InjectionRateGenerator = _ => ValueTask.FromResult(faults.Current.Outage ? 1.0 : faults.Current.ErrorRate),
            FaultGenerator = _ => ValueTask.FromResult<Exception?>(new InjectedFaultException(faults.Current.Outage ? "outage" : "error")),
            OnFaultInjected = args =>
            {
                metrics.FaultInjected(DependencyFaultSwitch.Dependency, args.Fault is InjectedFaultException f ? f.Kind : "error");
                return default;
            },
        });
        builder.AddChaosLatency(new ChaosLatencyStrategyOptions
        {
            Randomizer = random.NextDouble,
            EnabledGenerator = _ => ValueTask.FromResult(faults.Current.Latency > TimeSpan.Zero && faults.Current.LatencyRate > 0),
            InjectionRateGenerator = _ => ValueTask.FromResult(faults.Current.LatencyRate),
            LatencyGenerator = _ => ValueTask.FromResult(faults.Current.Latency),
            OnLatencyInjected = _ =>
            {
                metrics.FaultInjected(DependencyFaultSwitch.Dependency, "latency");
                return default;
            },
        });
        return builder.Build();
    }

    private async Task<T> CallAsync<T>(string operation, Func<T> answer, CancellationToken cancellationToken)
    {
        using var activity = Tracing.Source.StartActivity("card-processor " + operation, ActivityKind.Client);
        activity?.SetTag("peer.service", DependencyFaultSwitch.Dependency);
        try
        {
            var result = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    var delay = _latency.Sample(_random);
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, _timeProvider, ct);
                    }

                    return answer();
                },
                cancellationToken);
            _metrics.CardProcessorCall(operation, "ok");
            return result;
        }
        catch (InjectedFaultException ex)
        {
            _metrics.CardProcessorCall(operation, ex.Kind);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Kind);
            throw new CardProcessorException(ex.Kind == "outage" ? "unavailable" : "error", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            _metrics.CardProcessorCall(operation, "timeout");
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            throw new CardProcessorException("timeout", ex);
        }
    }

    /// <summary>What the chaos fault strategy throws; the retry strategy treats it as transient.</summary>
    private sealed class InjectedFaultException(string kind) : Exception($"Injected card-processor {kind}.")
    {
        public string Kind { get; } = kind;
    }
}
