using Profile = LoadLab.Engine.Configuration.Profile;
using LoadLab.Engine.Running;
using Segment = LoadLab.Engine.Segments.Segment;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LoadLab.Cli.Console;

/// <summary>
/// Shows a run while it goes: a live table on a terminal (elapsed and remaining time, rate vs target,
/// p95, errors, concurrency per scenario), plain lines every few seconds when output is a log.
/// </summary>
internal sealed class LiveProgress(TextWriter writer, bool interactive) : IRunObserver, IDisposable
{
    private static readonly TimeSpan s_plainEvery = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private RunProgress? _latest;
    private TimeSpan _lastPlain = TimeSpan.MinValue;
    private bool _announcedWarmUp;
    private bool _announcedDone;
    private Task? _liveTask;
    private readonly CancellationTokenSource _stop = new();

    public void Start(Profile profile, string runId, Segment segment)
    {
        var header = $"LoadLab run {runId} · profile {profile.Name} · {profile.Scenarios.Count} scenario(s)" + (segment.Count > 1 ? $" · segment {segment}" : "");
        if (!interactive)
        {
            writer.WriteLine(header);
            return;
        }

        var console = ConsoleTheme.For(writer, interactive: true);
        console.MarkupLine($"[bold]{Markup.Escape(header)}[/]");
        _liveTask = console.Live(Render(null)).AutoClear(false).StartAsync(async ctx =>
        {
            while (!_stop.IsCancellationRequested)
            {
                RunProgress? p;
                lock (_lock)
                {
                    p = _latest;
                }

                ctx.UpdateTarget(Render(p));
                try
                {
                    await Task.Delay(250, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            lock (_lock)
            {
                ctx.UpdateTarget(Render(_latest));
            }
        });
    }

    public void OnProgress(RunProgress progress)
    {
        lock (_lock)
        {
            _latest = progress;
        }

        if (interactive)
        {
            return;
        }

        // Warm-up is announced once; then a line every few seconds, and the last one when all is done.
        var warming = progress.Elapsed < TimeSpan.Zero;
        var done = progress.Scenarios.All(s => s.Finished);
        if (warming ? _announcedWarmUp : _announcedDone || (_lastPlain != TimeSpan.MinValue && progress.Elapsed - _lastPlain < s_plainEvery && !done))
        {
            return;
        }

        _announcedDone |= done;

        _announcedWarmUp |= warming;

        if (!warming)
        {
            _lastPlain = progress.Elapsed;
        }
        foreach (var s in progress.Scenarios)
        {
            var time = progress.Elapsed < TimeSpan.Zero ? $"warm-up {-progress.Elapsed.TotalSeconds:0}s" : $"{progress.Elapsed.TotalSeconds,5:0}s{(progress.Planned is { } p ? $"/{p.TotalSeconds:0}s" : "")}";
            writer.WriteLine($"[{time}] {s.Name}: rate {s.Rate:0.0}/s ({(s.Finished ? "load done" : s.TargetRate > 0 ? $"target {s.TargetRate:0.0}/s" : s.WarmingUp ? "warming up" : "closed model")}) p95 {ConsoleTheme.Ms(s.P95)} ok {s.Ok} fail {s.Fail} dropped {s.Dropped} concurrency {s.Concurrency}{(s.Finished ? " (done)" : "")}");
        }
    }

    public void Stop()
    {
        _stop.Cancel();
        _liveTask?.GetAwaiter().GetResult();
    }

    public void Dispose() => _stop.Dispose();

    private static IRenderable Render(RunProgress? p)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("scenario", "rate / target", "p95", "ok", "errors", "err %", "dropped", "concurrency");
        if (p is null)
        {
            table.Caption("starting…");
            return table;
        }

        foreach (var s in p.Scenarios)
        {
            var total = s.Ok + s.Fail;
            var errPct = total == 0 ? 0 : 100.0 * s.Fail / total;
            table.AddRow(
                Markup.Escape(s.Name) + (s.WarmingUp ? " [grey](warm-up)[/]" : s.Finished ? " [green](done)[/]" : ""),
                $"{s.Rate:0.0} / {(s.TargetRate > 0 ? s.TargetRate.ToString("0.0") : "closed")}",
                ConsoleTheme.Ms(s.P95),
                s.Ok.ToString("N0"),
                s.Fail == 0 ? "0" : $"[red]{s.Fail:N0}[/]",
                errPct >= 1 ? $"[red]{errPct:0.00}[/]" : $"{errPct:0.00}",
                s.Dropped == 0 ? "0" : $"[yellow]{s.Dropped:N0}[/]",
                s.Concurrency.ToString());
        }

        var elapsed = p.Elapsed < TimeSpan.Zero ? $"warming up, measuring in {-p.Elapsed.TotalSeconds:0}s" : $"elapsed {p.Elapsed:mm\\:ss}";
        var remaining = p.Planned is { } planned && p.Elapsed >= TimeSpan.Zero ? $" · remaining {(planned - p.Elapsed).Duration():mm\\:ss}" : "";
        table.Caption(elapsed + remaining + " · Ctrl+C stops and keeps the result");
        return table;
    }
}
