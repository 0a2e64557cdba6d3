using LoadLab.Results;
using Spectre.Console;

namespace LoadLab.Cli.Console;

/// <summary>The final summary of a run: scenarios and steps, thresholds, telemetry.</summary>
internal static class SummaryPrinter
{
    public static void Print(RunResult result, TextWriter writer)
    {
        var console = ConsoleTheme.For(writer, ConsoleTheme.IsInteractive(writer));
        var colour = result.Status == RunStatus.Passed ? "green" : result.Status == RunStatus.Failed ? "red" : "yellow";
        console.MarkupLine($"[bold {colour}]{result.Status.ToUpperInvariant()}[/] run {Markup.Escape(result.RunId)} · {result.DurationSeconds:0.0}s measured" +
            (result.Error is { } e ? $" · {Markup.Escape(e)}" : ""));

        var table = new Table().Border(TableBorder.Rounded).Title("response time (from intended start) · service time");
        table.AddColumns("scenario / step", "ok", "fail", "err %", "rate (target)", "p50", "p95", "p99", "max", "svc p95", "dropped");
        foreach (var s in result.Scenarios)
        {
            var total = s.Iterations.Ok + s.Iterations.Fail;
            table.AddRow(
                $"[bold]{Markup.Escape(s.Name)}[/]",
                s.Iterations.Ok.ToString("N0"),
                s.Iterations.Fail.ToString("N0"),
                total == 0 ? "-" : $"{100.0 * s.Iterations.Fail / total:0.00}",
                s.Rate.Target > 0 ? $"{s.Rate.Achieved:0.0} ({s.Rate.Target:0.0})" : $"{s.Rate.Achieved:0.0}",
                ConsoleTheme.Ms(s.ResponseTime.P50),
                ConsoleTheme.Ms(s.ResponseTime.P95),
                ConsoleTheme.Ms(s.ResponseTime.P99),
                ConsoleTheme.Ms(s.ResponseTime.Max),
                ConsoleTheme.Ms(s.ServiceTime.P95),
                s.Iterations.Dropped.ToString("N0"));
            foreach (var step in s.Steps)
            {
                var st = step.Requests.Ok + step.Requests.Fail;
                table.AddRow(
                    "  " + Markup.Escape(step.Name),
                    step.Requests.Ok.ToString("N0"),
                    step.Requests.Fail.ToString("N0"),
                    st == 0 ? "-" : $"{100.0 * step.Requests.Fail / st:0.00}",
                    "",
                    ConsoleTheme.Ms(step.ResponseTime.P50),
                    ConsoleTheme.Ms(step.ResponseTime.P95),
                    ConsoleTheme.Ms(step.ResponseTime.P99),
                    ConsoleTheme.Ms(step.ResponseTime.Max),
                    ConsoleTheme.Ms(step.ServiceTime.P95),
                    "");
            }
        }

        console.Write(table);
        foreach (var s in result.Scenarios.Where(s => s.Business.Count > 0))
        {
            foreach (var (ev, outcomes) in s.Business)
            {
                console.MarkupLine($"  {Markup.Escape(s.Name)} · {Markup.Escape(ev)}: " + string.Join(", ", outcomes.Select(o => $"{Markup.Escape(o.Key)} {o.Value:N0}")));
            }
        }

        foreach (var t in result.Thresholds)
        {
            var value = t.Value is null ? "no data" : t.Value.Value.ToString("0.######");
            console.MarkupLine($"  {(t.Passed ? "[green]PASS[/]" : "[red]FAIL[/]")} {Markup.Escape(t.Scenario)}: {Markup.Escape(t.Expr)}" +
                (t.Window is { } w ? $" (window {w:0}s)" : "") + $" · value {value}");
        }

        foreach (var sink in result.Telemetry.Sinks)
        {
            console.MarkupLine($"  telemetry {Markup.Escape(sink.Name)}: {(sink.Delivered ? "[green]delivered[/]" : "[red]NOT fully delivered[/]")}" +
                $" · sent {sink.Sent:N0} · errors {sink.Errors:N0} · dropped {sink.Dropped:N0}" + (sink.LastError is { } le ? $" · last error: {Markup.Escape(le)}" : ""));
        }

        var g = result.Generator;
        console.MarkupLine($"  generator: cpu {g.CpuRatio:P0} · gc pauses {g.GcPauseSeconds * 1000:0}ms · launch lateness p99 {ConsoleTheme.Ms(g.LaunchLateness.P99)}" +
            (g.DroppedIterations > 0 ? $" · [yellow]{g.DroppedIterations:N0} dropped iterations[/]" : ""));
    }
}
