using System.Diagnostics;
using LoadLab.Engine.Measurement;
using LoadLab.Engine.Scheduling;
using LoadLab.Results;

namespace LoadLab.Engine.Running;

internal static class ScenarioResultBuilder
{
    public static ScenarioResult Build(ScenarioRunner runner, long measureStart)
    {
        var s = runner.Stats;
        var end = runner.LoadEndTimestamp > 0 ? runner.LoadEndTimestamp : Stopwatch.GetTimestamp();
        var seconds = measureStart == 0 ? 0 : Math.Max(0, Stopwatch.GetElapsedTime(measureStart, end).TotalSeconds);
        var plan = runner.Plan;
        var arrivals = plan.Phases.Where(p => p.Curve is not null).Sum(p => p.Curve!.Total) / plan.Segment.Count;
        var planned = plan.Phases.Where(p => p.Curve is not null).Sum(p => p.Curve!.Length);
        var result = new ScenarioResult
        {
            Name = runner.Name,
            Model = plan.HasOpen && !plan.HasClosed ? "open" : plan.HasClosed && !plan.HasOpen ? "closed" : "mixed",
            DurationSeconds = Math.Round(seconds, 3),
            Iterations = new IterationCounts { Ok = s.Iterations.Ok, Fail = s.Iterations.Fail, Dropped = s.Dropped },
            Rate = new RateInfo
            {
                Target = planned > 0 ? Math.Round(arrivals / planned, 3) : 0,
                Achieved = seconds > 0 ? Math.Round((s.Iterations.Ok + s.Iterations.Fail) / seconds, 3) : 0,
            },
            ResponseTime = s.Iterations.OkResponse.Snapshot().ToSummary(),
            ServiceTime = s.Iterations.OkService.Snapshot().ToSummary(),
            FailResponseTime = s.Iterations.FailResponse.Snapshot().ToSummary(),
            Errors = SeriesStats.Copy(s.Iterations.Errors),
            MaxConcurrency = s.MaxInFlight,
        };

        foreach (var step in s.Steps.OrderBy(x => x.Step, StringComparer.Ordinal))
        {
            result.Steps.Add(new StepResult
            {
                Name = step.Step!,
                Requests = new RequestCounts { Ok = step.Ok, Fail = step.Fail },
                ResponseTime = step.OkResponse.Snapshot().ToSummary(),
                ServiceTime = step.OkService.Snapshot().ToSummary(),
                FailResponseTime = step.FailResponse.Snapshot().ToSummary(),
                Errors = SeriesStats.Copy(step.Errors),
                StatusCodes = SeriesStats.Copy(step.StatusCodes),
                Bytes = new ByteCounts { Sent = step.BytesSent, Received = step.BytesReceived },
            });
        }

        foreach (var (name, c) in s.Checks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            result.Checks[name] = new CheckCounts { Pass = Interlocked.Read(ref c.Pass), Fail = Interlocked.Read(ref c.Fail) };
        }

        foreach (var ((ev, outcome), box) in s.Business)
        {
            if (!result.Business.TryGetValue(ev, out var outcomes))
            {
                result.Business[ev] = outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            outcomes[outcome] = Interlocked.Read(ref box.Value);
        }

        return result;
    }
}
