using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Behavior;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace LoadLab.Chaos.Faults;

/// <summary>Keys of the <see cref="ResilienceContext"/> properties that fault pipelines read and write.</summary>
public static class FaultContextKeys
{
    /// <summary>The request path that faults match on (set it before executing the pipeline).</summary>
    public static readonly ResiliencePropertyKey<string> Path = new("loadlab.fault.path");

    /// <summary>The request method that faults match on (set it before executing the pipeline).</summary>
    public static readonly ResiliencePropertyKey<string> Method = new("loadlab.fault.method");

    /// <summary>Set by an outcome fault: the response that must replace the real one after the call.</summary>
    public static readonly ResiliencePropertyKey<StatusResponse> ReplaceOutcome = new("loadlab.fault.outcome");
}

/// <summary>Adds LoadLab faults to Polly pipelines, one Polly chaos strategy per fault.</summary>
public static class FaultPipelineBuilderExtensions
{
    /// <summary>
    /// Adds faults to an HTTP client pipeline: latency (<c>AddChaosLatency</c>), status (<c>AddChaosOutcome</c>,
    /// the target is not called), abort (<c>AddChaosFault</c>, an <see cref="HttpRequestException"/> with a connection
    /// reset), hang (<c>AddChaosBehavior</c>, held until cancelled or for the duration, then a timeout) and outcome
    /// (<c>AddChaosBehavior</c> marks the call; <see cref="Client.ChaosHandler"/> replaces the response afterwards).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="faults">The faults; validated here.</param>
    /// <param name="options">Randomness, time and metrics.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="FaultSpecException">A fault is invalid.</exception>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddFaults(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder, IReadOnlyList<FaultSpec> faults, FaultPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var set = new ActiveFaultSet(faults, options.TimeProvider);
        return builder.AddFaults(
            set,
            options,
            status => FaultResponses.Create(status),
            fault => new HttpRequestException(
                HttpRequestError.ConnectionError,
                $"The connection was reset by fault '{fault.Name}'.",
                new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))),
            fault => new TaskCanceledException(
                $"The request was held by fault '{fault.Name}' for {FaultDuration.Format(fault.Hang!.Value)} and timed out.",
                new TimeoutException()));
    }

    internal static ResiliencePipelineBuilder<T> AddFaults<T>(
        this ResiliencePipelineBuilder<T> builder,
        ActiveFaultSet set,
        FaultPipelineOptions options,
        Func<StatusResponse, T> statusResult,
        Func<FaultSpec, Exception> abortException,
        Func<FaultSpec, Exception> hangElapsedException)
    {
        builder.TimeProvider = options.TimeProvider;

        // Faults before latency so injected faults don't wait; outcome marks innermost, next to the real call.
        var ordered = set.Faults.OrderBy(f => f.Kind switch
        {
            FaultKind.Abort or FaultKind.Status or FaultKind.Hang => 0,
            FaultKind.Latency => 1,
            _ => 2,
        });
        foreach (var fault in ordered)
        {
            var spec = fault;
            void Injected()
            {
                options.Metrics?.RecordInjected(spec.Name, options.Target);
                options.OnInjected?.Invoke(spec);
            }

            Func<EnabledGeneratorArguments, ValueTask<bool>> enabled = args => new(set.IsActive(spec) && Matches(spec, args.Context));

            // What every fault's strategy shares: its name, rate, switch and the seeded randomizer.
            TOptions Common<TOptions>(TOptions strategy)
                where TOptions : ChaosStrategyOptions
            {
                strategy.Name = spec.Name;
                strategy.InjectionRate = spec.Rate;
                strategy.EnabledGenerator = enabled;
                strategy.Randomizer = options.Randomizer;
                return strategy;
            }

            switch (spec.Kind)
            {
                case FaultKind.Latency:
                    builder.AddChaosLatency(Common(new ChaosLatencyStrategyOptions
                    {
                        LatencyGenerator = _ => new ValueTask<TimeSpan>(spec.Latency!.Sample(options.Randomizer)),
                        OnLatencyInjected = _ =>
                        {
                            Injected();
                            return default;
                        },
                    }));
                    break;
                case FaultKind.Status:
                    builder.AddChaosOutcome(Common(new ChaosOutcomeStrategyOptions<T>
                    {
                        OutcomeGenerator = _ => new ValueTask<Outcome<T>?>(Outcome.FromResult(statusResult(spec.Status!))),
                        OnOutcomeInjected = _ =>
                        {
                            Injected();
                            return default;
                        },
                    }));
                    break;
                case FaultKind.Abort:
                    builder.AddChaosFault(Common(new ChaosFaultStrategyOptions
                    {
                        FaultGenerator = _ => new ValueTask<Exception?>(abortException(spec)),
                        OnFaultInjected = _ =>
                        {
                            Injected();
                            return default;
                        },
                    }));
                    break;
                case FaultKind.Hang:
                    builder.AddChaosBehavior(Common(new ChaosBehaviorStrategyOptions
                    {
                        BehaviorGenerator = async args =>
                        {
                            // Counted when the hold starts (Polly reports a behavior only once it has run).
                            Injected();

                            // Held until the caller gives up (cancellation), at most for the hang duration.
                            await Task.Delay(spec.Hang!.Value, options.TimeProvider, args.Context.CancellationToken).ConfigureAwait(false);
                            throw hangElapsedException(spec);
                        },
                    }));
                    break;
                case FaultKind.Outcome:
                    builder.AddChaosBehavior(Common(new ChaosBehaviorStrategyOptions
                    {
                        BehaviorGenerator = args =>
                        {
                            args.Context.Properties.Set(FaultContextKeys.ReplaceOutcome, spec.Outcome!);
                            return default;
                        },
                        OnBehaviorInjected = _ =>
                        {
                            Injected();
                            return default;
                        },
                    }));
                    break;
                default:
                    break;
            }
        }

        return builder;
    }

    private static bool Matches(FaultSpec fault, ResilienceContext context) =>
        fault.Match is null
        || fault.Match.Matches(
            context.Properties.GetValue(FaultContextKeys.Path, "/"),
            context.Properties.GetValue(FaultContextKeys.Method, "GET"));
}

internal static class FaultResponses
{
    public static HttpResponseMessage Create(StatusResponse status) => new((HttpStatusCode)status.Code)
    {
        Content = new StringContent(status.Body, System.Text.Encoding.UTF8, MediaTypeWithoutCharset(status.EffectiveContentType)),
        ReasonPhrase = "Injected by LoadLab chaos",
    };

    public static string MediaTypeWithoutCharset(string contentType) => contentType.Split(';')[0].Trim();
}
