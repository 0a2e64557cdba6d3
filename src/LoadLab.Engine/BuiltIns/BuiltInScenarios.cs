using System.Diagnostics;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;

namespace LoadLab.Engine.BuiltIns;

/// <summary>The built-in scenarios that need no code: noop and delay (http lives in LoadLab.Http).</summary>
public static class BuiltInScenarios
{
    /// <summary>Gets the factories.</summary>
    public static IReadOnlyList<IScenarioFactory> Factories { get; } = [new NoopFactory(), new DelayFactory()];

    private sealed class NoopFactory : IScenarioFactory
    {
        private static readonly Task<Response> s_ok = Task.FromResult(Response.Ok());

        public string Name => "noop";

        public string Description => "Returns ok at once: measures the generator itself.";

        public IReadOnlyList<ScenarioSetting> Settings => [];

        public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context) => Scenario.Create(Name, static _ => s_ok);
    }

    private sealed class DelayFactory : IScenarioFactory
    {
        public string Name => "delay";

        public string Description => "An in-process simulated service: latency, failures and stop-the-world stalls.";

        public IReadOnlyList<ScenarioSetting> Settings =>
        [
            new("latency", "duration|lognormal(median, p99)", "10ms", "Service latency, fixed or lognormal."),
            new("fail_rate", "ratio", "0", "Share of calls that fail (http_5xx)."),
            new("stall", "map {every, for}", "none", "Every 'every', the service freezes for 'for': calls in flight or arriving wait until it ends."),
        ];

        public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context)
        {
            var latencyText = settings.GetString("latency", "10ms");
            if (!LatencyDistribution.TryParse(latencyText, out var latency))
            {
                settings.AddError("latency", $"expected a duration such as 10ms or lognormal(median, p99) such as lognormal(20ms, 200ms), got '{latencyText}'");
            }

            var failRate = settings.GetRatio("fail_rate", 0);
            TimeSpan every = TimeSpan.Zero, length = TimeSpan.Zero;
            if (settings.GetSection("stall") is { } stall)
            {
                every = stall.GetDuration("every", TimeSpan.Zero);
                length = stall.GetDuration("for", TimeSpan.Zero);
                if (every <= TimeSpan.Zero || length <= TimeSpan.Zero || length >= every)
                {
                    stall.AddError("every", $"a stall needs 'every' and 'for' with 0 < for < every (got every {every}, for {length})");
                }
            }

            var service = new SimulatedService(latency, failRate, every, length);
            return Scenario.Create(Name, ctx => service.CallAsync(ctx))
                .WithInit(_ =>
                {
                    service.Start(Stopwatch.GetTimestamp());
                    return Task.CompletedTask;
                });
        }
    }
}

/// <summary>
/// A service simulated in process. A stall freezes it like a GC pause: work in progress and calls that
/// arrive during the stall make no progress until it ends. Stall windows are [k*every, k*every + for)
/// after the service starts.
/// </summary>
internal sealed class SimulatedService(LatencyDistribution latency, double failRate, TimeSpan stallEvery, TimeSpan stallFor)
{
    private long _origin;

    public void Start(long timestamp) => _origin = timestamp;

    public async Task<Response> CallAsync(IScenarioContext ctx)
    {
        var random = ctx.Random;
        var work = latency.Sample(random.NextDouble);
        var now = Stopwatch.GetTimestamp();
        var finish = CompletionTimestamp(now, work);
        var wait = TimeSpan.FromSeconds((double)(finish - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
        if (wait > TimeSpan.Zero)
        {
            // Timers count whole milliseconds and round down, so 0.9 ms would not wait at all: round up,
            // a simulated call is never faster than configured (it may be up to a timer tick slower).
            wait = TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
            await Task.Delay(wait, TimeProvider.System, ctx.CancellationToken).ConfigureAwait(false);
        }

        return failRate > 0 && random.NextDouble() < failRate
            ? Response.Fail(statusCode: "503", message: "simulated failure")
            : Response.Ok(statusCode: "200");
    }

    /// <summary>Gets when work of the given length, started at <paramref name="start"/>, completes given the stalls.</summary>
    internal long CompletionTimestamp(long start, TimeSpan work)
    {
        var f = Stopwatch.Frequency;
        var remaining = (long)(work.TotalSeconds * f);
        if (stallEvery <= TimeSpan.Zero)
        {
            return start + remaining;
        }

        var every = (long)(stallEvery.TotalSeconds * f);
        var length = (long)(stallFor.TotalSeconds * f);
        var t = start - _origin;
        while (true)
        {
            var k = Math.Max(0, t) / every;
            var stallStart = k * every;
            var stallEnd = stallStart + length;
            if (t >= stallStart && t < stallEnd)
            {
                t = stallEnd;
                continue;
            }

            var nextStall = t < stallStart ? stallStart : stallStart + every;
            if (t + remaining <= nextStall)
            {
                return _origin + t + remaining;
            }

            remaining -= nextStall - t;
            t = nextStall + length;
        }
    }
}
