using System.Diagnostics;
using LoadLab.Engine.Running;
using LoadLab.Engine.Scenarios;
using LoadLab.Engine.Simulations;
using LoadLab.Engine.Thresholds;
using LoadLab.Metrics;
using LoadLab.Results;
using LoadLab.Telemetry;

namespace LoadLab.Engine.Tests.Running;

/// <summary>Short real runs of the engine (a second or two each) with in-process scenarios.</summary>
public class LoadEngineTests
{
    private static readonly TimeSpan s_1s = TimeSpan.FromSeconds(1);

    private static Task<RunResult> Run(params ScenarioProps[] scenarios) => RunWith([], CancellationToken.None, scenarios);

    #pragma warning disable CA1068 // params must come last
    private static Task<RunResult> RunWith(IReadOnlyList<ITelemetrySink> sinks, CancellationToken ct, params ScenarioProps[] scenarios) =>
        LoadEngine.RunAsync(new RunOptions { RunId = "test", Scenarios = scenarios, Sinks = sinks, Labels = { ["service"] = "svc" } }, ct);
#pragma warning restore CA1068

    [Fact]
    public async Task RunAsync_OpenModel_RunsEveryArrivalOnce()
    {
        var result = await Run(Scenario.Create("noop", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(200, s_1s, TimeSpan.FromSeconds(1.5))));
        var s = Assert.Single(result.Scenarios);
        Assert.Equal(300, s.Iterations.Ok);
        Assert.Equal(0, s.Iterations.Dropped);
        Assert.Equal(200, s.Rate.Target, 3);
        Assert.Equal(RunStatus.Passed, result.Status);
        Assert.Equal(300, s.ResponseTime.GetHistogram().TotalCount);
        Assert.NotEmpty(result.Timeline);
    }

    [Fact]
    public async Task RunAsync_ClosedModel_IterationsForConstant_RunsExactlyThatMany()
    {
        var result = await Run(Scenario.Create("c", async ctx =>
            {
                await Task.Yield();
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.IterationsForConstant(4, 1000)));
        Assert.Equal(1000, result.Scenarios[0].Iterations.Ok);
        Assert.Equal("closed", result.Scenarios[0].Model);
    }

    [Fact]
    public async Task RunAsync_StepsChecksAndBusinessCounters_AreRecorded()
    {
        var result = await Run(Scenario.Create("pay", async ctx =>
            {
                var auth = await Step.Run("authorize", ctx, () => Task.FromResult(ctx.IterationNumber % 4 == 0 ? Response.Fail("503") : Response.Ok("201", sizeBytes: 10)));
                ctx.Check("status is 201", !auth.IsError);
                ctx.Metrics.Count("payment", auth.IsError ? "failed" : "approved");
                return auth.IsError ? Response.Fail("503") : Response.Ok();
            })
            .WithLoadSimulations(Simulation.IterationsForInject(400, s_1s, 100)));
        var s = result.Scenarios[0];
        var step = Assert.Single(s.Steps);
        Assert.Equal("authorize", step.Name);
        Assert.Equal(75, step.Requests.Ok);
        Assert.Equal(25, step.Requests.Fail);
        Assert.Equal(25, step.Errors[MetricNames.ErrorKinds.Http5xx]);
        Assert.Equal(750, step.Bytes.Received);
        Assert.Equal(75, s.Checks["status is 201"].Pass);
        Assert.Equal(25, s.Business["payment"]["failed"]);
        Assert.Equal(75, s.Business["payment"]["approved"]);
        Assert.Equal(25, s.Errors[MetricNames.ErrorKinds.Http5xx]);
    }

    [Fact]
    public async Task RunAsync_ScenarioThrows_CountsExceptionAndWritesResult()
    {
        var result = await Run(Scenario.Create("boom", _ => throw new InvalidOperationException("no"))
            .WithLoadSimulations(Simulation.IterationsForInject(100, s_1s, 20)));
        Assert.Equal(20, result.Scenarios[0].Iterations.Fail);
        Assert.Equal(20, result.Scenarios[0].Errors[MetricNames.ErrorKinds.Exception]);
    }

    [Fact]
    public async Task RunAsync_ThresholdFails_StatusFailedWithVerdict()
    {
        var result = await Run(Scenario.Create("slow", async _ =>
            {
                await Task.Delay(20);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.IterationsForInject(50, s_1s, 20))
            .WithThresholds(ThresholdSpec.Parse("p95(response_time) < 5ms"), ThresholdSpec.Parse("error_rate < 1%")));
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.False(result.Thresholds[0].Passed);
        Assert.True(result.Thresholds[0].Value > 0.015);
        Assert.True(result.Thresholds[1].Passed);
        Assert.Equal(0, result.Thresholds[1].Value);
    }

    [Fact]
    public async Task RunAsync_AbortThreshold_StopsEarlyAsAborted()
    {
        var sw = Stopwatch.StartNew();
        var result = await Run(Scenario.Create("failing", _ => Task.FromResult(Response.Fail("500")))
            .WithLoadSimulations(Simulation.Inject(50, s_1s, TimeSpan.FromSeconds(30)))
            .WithThresholds(ThresholdSpec.Parse("error_rate < 5%") with { Abort = true, After = TimeSpan.FromSeconds(1) }));
        Assert.Equal(RunStatus.Aborted, result.Status);
        Assert.Contains("error_rate < 5%", result.Error, StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"the abort should stop a 30 s run early, took {sw.Elapsed}");
        Assert.False(result.Thresholds[0].Passed);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsPartialResultMarkedInterrupted()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var result = await RunWith([], cts.Token, Scenario.Create("long", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(100, s_1s, TimeSpan.FromSeconds(60))));
        Assert.Equal(RunStatus.Interrupted, result.Status);
        Assert.InRange(result.Scenarios[0].Iterations.Ok, 50, 300);
    }

    [Fact]
    public async Task RunAsync_InitThrows_FailsWithoutLoadAndSaysWhy()
    {
        var ran = 0;
        var result = await Run(Scenario.Create("broken", _ =>
            {
                Interlocked.Increment(ref ran);
                return Task.FromResult(Response.Ok());
            })
            .WithInit(_ => throw new InvalidOperationException("database unreachable"))
            .WithLoadSimulations(Simulation.Inject(10, s_1s, s_1s)));
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("database unreachable", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task RunAsync_MaxConcurrency_LateStartsCountInResponseTimeNotServiceTime()
    {
        // One slot, 20 ms of work, 100 arrivals per second: each iteration waits for the one before it,
        // so response time (from the intended start) grows far beyond the 20 ms service time.
        var result = await Run(Scenario.Create("capped", async _ =>
            {
                await Task.Delay(20);
                return Response.Ok();
            })
            .WithMaxConcurrency(1)
            .WithLoadSimulations(Simulation.Inject(100, s_1s, s_1s)));
        var s = result.Scenarios[0];
        Assert.Equal(1, s.MaxConcurrency);
        Assert.True(s.ServiceTime.P50 < 0.1, $"service p50 {s.ServiceTime.P50}");
        Assert.True(s.ResponseTime.P95 > 0.3, $"response p95 {s.ResponseTime.P95}");
        Assert.True(s.Iterations.Dropped > 0, "arrivals still waiting when the load ended are dropped");
        Assert.Equal(100, s.Iterations.Ok + s.Iterations.Dropped);
    }

    [Fact]
    public async Task RunAsync_WarmUp_IsNotReported()
    {
        var result = await Run(Scenario.Create("w", _ => Task.FromResult(Response.Ok()))
            .WithWarmUpDuration(TimeSpan.FromSeconds(0.5))
            .WithLoadSimulations(Simulation.Inject(100, s_1s, s_1s)));
        Assert.Equal(100, result.Scenarios[0].Iterations.Ok);
    }

    [Fact]
    public async Task RunAsync_Sinks_GetSnapshotsWithTheMetricContract()
    {
        var sink = new RecordingSink();
        await RunWith([sink], CancellationToken.None, Scenario.Create("m", async ctx =>
            {
                await Step.Run("s1", ctx, () => Task.FromResult(Response.Ok()));
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.Inject(50, s_1s, TimeSpan.FromSeconds(1.5))));
        Assert.True(sink.Started);
        Assert.NotNull(sink.Summary);
        var final = sink.Summary!.FinalSamples;
        var ok = final.Single(s => s.Name == MetricNames.Iterations && s.Labels["status"] == "ok");
        Assert.Equal(75, ok.Value);
        Assert.Equal("svc", ok.Labels["service"]);
        Assert.Equal("test", ok.Labels["run_id"]);
        Assert.Contains(final, s => s.Name == MetricNames.Requests && s.Labels["step"] == "s1" && s.Value == 75);
        Assert.Contains(final, s => s.Name == MetricNames.ResponseTime && s.Histogram!.TotalCount == 75 && s.Labels["step"] is null);
        Assert.Contains(final, s => s.Name == MetricNames.RunPassed && s.Value == 1);
        Assert.True(sink.Publishes >= 1);
    }

    private sealed class RecordingSink : ITelemetrySink
    {
        public string Name => "recording";

        public bool Started { get; private set; }

        public int Publishes { get; private set; }

        public RunSummary? Summary { get; private set; }

        public ValueTask StartAsync(SinkContext context, CancellationToken cancellationToken)
        {
            Started = true;
            return ValueTask.CompletedTask;
        }

        public void Publish(ReadOnlySpan<MetricSample> samples) => Publishes++;

        public ValueTask StopAsync(RunSummary summary, CancellationToken cancellationToken)
        {
            Summary = summary;
            return ValueTask.CompletedTask;
        }

        public SinkReport GetReport() => new() { Name = Name };

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
