using System.Text;
using LoadLab.Reports.Formatting;
using LoadLab.Reports.Html;
using LoadLab.Reports.Svg;
using LoadLab.Results;

namespace LoadLab.Reports.Run;

/// <summary>Renders the self-contained HTML report of one run.</summary>
internal static class RunHtmlReport
{
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var title = $"LoadLab run {result.Profile} {result.RunId}".Trim();
        var sb = HtmlPage.Begin(title);
        var timelines = TimelineSeries.ByScenario(result);
        var bands = FaultBands(result);

        sb.Append("<header><h1>").Append(ReportFormat.Html(string.IsNullOrEmpty(result.Profile) ? "LoadLab run" : "LoadLab run: " + result.Profile)).Append("</h1>");
        Banner(sb, result);
        Metadata(sb, result);
        sb.Append("</header>\n<nav aria-label=\"Sections\"><a href=\"#thresholds\">Thresholds</a><a href=\"#summary\">Latency and rates</a>")
          .Append("<a href=\"#charts\">Charts</a><a href=\"#errors\">Errors and checks</a><a href=\"#business\">Business outcomes</a>")
          .Append("<a href=\"#faults\">Faults</a><a href=\"#generator\">Generator</a></nav>\n");

        Thresholds(sb, result);
        Summary(sb, result);

        sb.Append("<section id=\"charts\"><h2>Charts</h2>");
        if (bands.Count > 0)
        {
            sb.Append("<p class=\"small\">Hatched grey areas mark fault windows; each is labelled with the fault's name.</p>");
        }

        var chartIndex = 0;
        foreach (var scenario in result.Scenarios)
        {
            sb.Append("<h3>Scenario ").Append(ReportFormat.Html(scenario.Name)).Append("</h3>");
            if (timelines.TryGetValue(scenario.Name, out var points) && points.Count > 0)
            {
                var xRange = (0.0, Math.Max(result.DurationSeconds, points[^1].T));
                LatencyChart(sb, scenario, points, bands, xRange, ref chartIndex);
                RateChart(sb, scenario, points, bands, xRange, ref chartIndex);
                ErrorChart(sb, scenario, points, bands, xRange, ref chartIndex);
            }
            else
            {
                sb.Append("<p class=\"small\">No timeline was recorded for this scenario.</p>");
            }

            SpectrumChart(sb, scenario, ref chartIndex);
        }

        ConcurrencyChart(sb, result, timelines, bands, ref chartIndex);
        sb.Append("</section>\n");

        ErrorsAndChecks(sb, result);
        Business(sb, result);
        Faults(sb, result);
        Generator(sb, result);
        return HtmlPage.End(sb);
    }

    private static void Banner(StringBuilder sb, RunResult result)
    {
        var symbol = result.Status switch
        {
            RunStatus.Passed => "✓",
            RunStatus.Failed => "✗",
            _ => "⚠",
        };
        sb.Append("<div class=\"banner ").Append(ReportFormat.Html(result.Status)).Append("\" role=\"status\" id=\"verdict\">")
          .Append(symbol).Append(' ').Append(ReportFormat.Html(ReportFormat.StatusHeadline(result)));
        if (ReportFormat.ErrorDetail(result) is { } error)
        {
            sb.Append("<span class=\"detail\">").Append(ReportFormat.Html(error)).Append("</span>");
        }

        sb.Append("</div>");
        if (result.Status is RunStatus.Aborted or RunStatus.Interrupted)
        {
            sb.Append("<p class=\"partial\">This result is partial: it covers the ")
              .Append(ReportFormat.Html(ReportFormat.Duration(result.DurationSeconds)))
              .Append(" measured before the run stopped, not the whole planned profile.</p>");
        }
    }

    private static void Metadata(StringBuilder sb, RunResult result)
    {
        var items = new List<(string, string)>
        {
            ("Run id", result.RunId),
            ("Profile", result.Profile),
            ("Status", result.Status),
            ("Started", ReportFormat.Time(result.StartedAt)),
            ("Ended", ReportFormat.Time(result.EndedAt)),
            ("Measured", ReportFormat.Duration(result.DurationSeconds)),
        };
        foreach (var (key, value) in result.Labels.OrderBy(l => LabelOrder(l.Key)).ThenBy(l => l.Key, StringComparer.Ordinal))
        {
            items.Add((key, value));
        }

        if (!string.IsNullOrEmpty(result.GitCommit))
        {
            items.Add(("Git commit", result.GitCommit));
        }

        items.Add(("Segment", result.Segment.Merged is { Count: > 0 } merged
            // A merged result is the whole run (1 of 1); the parts it was made of are all N segments.
            ? $"merged from segments {string.Join(", ", merged)} of {merged.Count}"
            : $"{result.Segment.Index} of {result.Segment.Count}"));
        var m = result.Machine;
        items.Add(("Machine", $"{m.Host} ({m.Cores} cores) {m.Os}".Trim()));
        items.Add((".NET / LoadLab", $"{m.Dotnet} / {m.LoadLab}".Trim(' ', '/')));

        sb.Append("<section id=\"metadata\" aria-label=\"Run metadata\"><dl class=\"meta\">");
        foreach (var (key, value) in items)
        {
            sb.Append("<dt>").Append(ReportFormat.Html(key)).Append("</dt><dd>").Append(ReportFormat.Html(value)).Append("</dd>");
        }

        sb.Append("</dl></section>\n");
    }

    private static int LabelOrder(string key) => key switch
    {
        "service" => 0,
        "environment" => 1,
        "release" => 2,
        _ => 3,
    };

    private static void Thresholds(StringBuilder sb, RunResult result)
    {
        sb.Append("<section id=\"thresholds\"><h2>Thresholds</h2>");
        if (result.Thresholds.Count == 0)
        {
            sb.Append("<p>No thresholds were set for this run.</p></section>\n");
            return;
        }

        var failed = ReportFormat.FailedThresholdCount(result);
        sb.Append("<p>").Append(result.Thresholds.Count - failed).Append(" of ").Append(result.Thresholds.Count).Append(" thresholds held.</p>");
        var rows = result.Thresholds
            .OrderBy(t => t.Passed)
            .Select(t => (IReadOnlyList<string>)
            [
                HtmlPage.Verdict(t.Passed),
                ReportFormat.Html(t.Scenario),
                "<code>" + ReportFormat.Html(t.Expr) + "</code>",
                t.Window is { } w ? ReportFormat.Html(ReportFormat.Duration(w)) : "whole run",
                ReportFormat.Html(ReportFormat.ThresholdValue(t.Expr, t.Value)),
                ReportFormat.Html(ReportFormat.ThresholdValue(t.Expr, t.Bound)),
                ReportFormat.Html(Notes(t)),
            ]);
        HtmlPage.Table(sb, ["Verdict", "Scenario", "Expression", "Window", "Measured", "Bound", "Notes"], rows, new HashSet<int> { 4, 5 });
        sb.Append("</section>\n");
    }

    private static string Notes(ThresholdResult t)
    {
        var notes = new List<string>();
        if (t.Abort)
        {
            notes.Add("aborts the run");
        }

        if (t.FailedAt is { } at)
        {
            notes.Add($"first failed at {ReportFormat.Number(at)} s");
        }

        return string.Join("; ", notes);
    }

    private static void Summary(StringBuilder sb, RunResult result)
    {
        sb.Append("<section id=\"summary\"><h2>Latency and rates</h2>")
          .Append("<p class=\"small\">Percentiles of successful requests. Rate: completed per second over the measured duration. ")
          .Append("Target: intended arrivals per second (open model).</p>");
        sb.Append("<table><thead><tr><th scope=\"col\">Scenario / step</th><th scope=\"col\" class=\"n\">Requests</th><th scope=\"col\" class=\"n\">Rate</th>")
          .Append("<th scope=\"col\" class=\"n\">Errors</th><th scope=\"col\">Latency</th>");
        foreach (var h in new[] { "p50", "p90", "p95", "p99", "p99.9", "max" })
        {
            sb.Append("<th scope=\"col\" class=\"n\">").Append(h).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var s in result.Scenarios)
        {
            var duration = s.DurationSeconds > 0 ? s.DurationSeconds : result.DurationSeconds;
            var rate = ReportFormat.Rate(s.Rate.Achieved) + (s.Rate.Target > 0 ? $" (target {ReportFormat.Rate(s.Rate.Target)})" : "");
            var name = $"<strong>{ReportFormat.Html(s.Name)}</strong> <span class=\"small\">({ReportFormat.Html(s.Model)} model{(s.Iterations.Dropped > 0 ? ", " + ReportFormat.Count(s.Iterations.Dropped) + " dropped" : "")})</span>";
            LatencyRows(sb, "scenario", name, s.Iterations.Ok, s.Iterations.Fail, rate, s.ResponseTime, s.ServiceTime);
            foreach (var step in s.Steps)
            {
                var stepRate = duration > 0 ? ReportFormat.Rate((step.Requests.Ok + step.Requests.Fail) / duration) : "n/a";
                LatencyRows(sb, "step", ReportFormat.Html(step.Name), step.Requests.Ok, step.Requests.Fail, stepRate, step.ResponseTime, step.ServiceTime);
            }
        }

        sb.Append("</tbody></table></section>\n");
    }

    private static void LatencyRows(StringBuilder sb, string cls, string name, long ok, long fail, string rate, LatencySummary response, LatencySummary service)
    {
        var ratio = ReportFormat.ErrorRatio(ok, fail);
        var errorCell = fail == 0 ? "0%" : $"<span class=\"bad\">{ReportFormat.Html(ReportFormat.Percent(ratio))}</span> ({ReportFormat.Count(fail)})";
        sb.Append("<tr class=\"").Append(cls).Append("\"><td rowspan=\"2\">").Append(name).Append("</td><td class=\"n\" rowspan=\"2\">")
          .Append(ReportFormat.Count(ok + fail)).Append("</td><td class=\"n\" rowspan=\"2\">").Append(ReportFormat.Html(rate))
          .Append("</td><td class=\"n\" rowspan=\"2\">").Append(errorCell).Append("</td>");
        LatencyCells(sb, "response", response);
        sb.Append("</tr><tr class=\"").Append(cls).Append("-service\">");
        LatencyCells(sb, "service", service);
        sb.Append("</tr>");
    }

    private static void LatencyCells(StringBuilder sb, string label, LatencySummary l)
    {
        sb.Append("<td>").Append(label).Append("</td>");
        foreach (var v in new[] { l.P50, l.P90, l.P95, l.P99, l.P999, l.Max })
        {
            sb.Append("<td class=\"n\">").Append(l.Count == 0 ? "–" : ReportFormat.Html(ReportFormat.Latency(v))).Append("</td>");
        }
    }

    private static List<ChartBand> FaultBands(RunResult result)
    {
        var bands = new List<ChartBand>();
        foreach (var f in result.Faults)
        {
            var from = (f.Start - result.StartedAt).TotalSeconds;
            var to = ((f.End ?? result.EndedAt) - result.StartedAt).TotalSeconds;
            bands.Add(new ChartBand(from, to, $"fault: {f.Name}"));
        }

        return bands;
    }

    private static string NextId(ref int index) => "chart-" + (++index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void LatencyChart(StringBuilder sb, ScenarioResult s, IReadOnlyList<TimelineBucket> points, List<ChartBand> bands, (double, double) xRange, ref int index)
    {
        var chart = new SvgChart(NextId(ref index), $"Response time over time: {s.Name}", "seconds into the run", "milliseconds")
        {
            XRange = xRange,
            YFormat = v => ReportFormat.Number(v),
        };
        // A second in which nothing completed has no latency; drawing it as 0 would look like a fast second.
        var measured = points.Where(p => p.Ok + p.Fail > 0).ToList();
        chart.Add(new ChartSeries("p50 response", measured.Select(p => (p.T, p.P50 * 1e3)).ToList()));
        chart.Add(new ChartSeries("p95 response", measured.Select(p => (p.T, p.P95 * 1e3)).ToList()));
        chart.Add(new ChartSeries("p99 response", measured.Select(p => (p.T, p.P99 * 1e3)).ToList()));
        chart.Add(new ChartSeries("p50 service", measured.Select(p => (p.T, p.ServiceP50 * 1e3)).ToList()));
        chart.Add(new ChartSeries("p95 service", measured.Select(p => (p.T, p.ServiceP95 * 1e3)).ToList()));
        bands.ForEach(chart.AddBand);
        sb.Append(chart.Render(Downsampled(points, $"Response-time percentiles per second of {s.Name} (ms); a gap between response and service time is time spent waiting to start.")));
    }

    private static void RateChart(StringBuilder sb, ScenarioResult s, IReadOnlyList<TimelineBucket> points, List<ChartBand> bands, (double, double) xRange, ref int index)
    {
        var chart = new SvgChart(NextId(ref index), $"Target vs achieved rate: {s.Name}", "seconds into the run", "iterations per second") { XRange = xRange };
        if (points.Any(p => p.TargetRate > 0))
        {
            chart.Add(new ChartSeries("target rate", points.Select(p => (p.T, p.TargetRate)).ToList(), 0));
        }

        chart.Add(new ChartSeries("achieved (ok + failed)", points.Select(p => (p.T, p.AchievedRate)).ToList(), 1));
        chart.Add(new ChartSeries("failed", points.Select(p => (p.T, p.FailRate)).ToList(), 2));
        bands.ForEach(chart.AddBand);
        sb.Append(chart.Render(Downsampled(points, $"Intended arrivals and completed iterations per second of {s.Name}.")));
    }

    private static void ErrorChart(StringBuilder sb, ScenarioResult s, IReadOnlyList<TimelineBucket> points, List<ChartBand> bands, (double, double) xRange, ref int index)
    {
        var kinds = points.SelectMany(p => p.Errors.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (kinds.Count == 0)
        {
            sb.Append("<p class=\"small\">No errors over time in ").Append(ReportFormat.Html(s.Name)).Append(".</p>");
            return;
        }

        var chart = new SvgChart(NextId(ref index), $"Errors over time by kind: {s.Name}", "seconds into the run", "errors per second") { XRange = xRange };
        foreach (var kind in kinds)
        {
            chart.Add(new ChartSeries(kind, points.Select(p => (p.T, p.Errors.GetValueOrDefault(kind) / Math.Max(1, p.Seconds))).ToList()));
        }

        bands.ForEach(chart.AddBand);
        sb.Append(chart.Render(Downsampled(points, $"Errors per second of {s.Name}, one line per kind.")));
    }

    private static void ConcurrencyChart(StringBuilder sb, RunResult result, IReadOnlyDictionary<string, IReadOnlyList<TimelineBucket>> timelines, List<ChartBand> bands, ref int index)
    {
        if (timelines.Count == 0)
        {
            return;
        }

        sb.Append("<h3>Concurrency</h3>");
        var maxT = timelines.Values.Where(v => v.Count > 0).Select(v => v[^1].T).DefaultIfEmpty(0).Max();
        var chart = new SvgChart(NextId(ref index), "Iterations in flight (virtual users)", "seconds into the run", "in flight")
        {
            XRange = (0, Math.Max(result.DurationSeconds, maxT)),
        };
        foreach (var (name, points) in timelines.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            chart.Add(new ChartSeries(name, points.Select(p => (p.T, (double)p.Concurrency)).ToList()));
        }

        bands.ForEach(chart.AddBand);
        sb.Append(chart.Render("Iterations in flight at the end of each second, per scenario (virtual users in the closed model). A rise under a constant rate means the target slowed down."));
    }

    private static void SpectrumChart(StringBuilder sb, ScenarioResult s, ref int index)
    {
        var chart = new SvgChart(NextId(ref index), $"Latency by percentile: {s.Name}", "percentile (log scale: 90%, 99%, 99.9%, ...)", "milliseconds")
        {
            XAxis = ChartAxis.LogPercentile,
        };
        AddSpectrum(chart, "response (scenario)", s.ResponseTime);
        AddSpectrum(chart, "service (scenario)", s.ServiceTime);
        // Two lines for the scenario, the rest for steps: more lines than colours would be unreadable.
        var maxSteps = SvgChart.Palette.Length - 2;
        foreach (var step in s.Steps.Take(maxSteps))
        {
            AddSpectrum(chart, $"response: {step.Name}", step.ResponseTime);
        }

        var more = s.Steps.Count > maxSteps ? $" The first {maxSteps} of {s.Steps.Count} steps are drawn; the table above has them all." : "";

        if (chart.Series.Count == 0)
        {
            sb.Append("<p class=\"small\">No latency histogram was recorded for ").Append(ReportFormat.Html(s.Name)).Append(".</p>");
            return;
        }

        sb.Append(chart.Render($"The whole latency distribution of {s.Name} (HdrHistogram percentile spectrum): the tail on the right is what the slowest users saw.{more}"));
    }

    private static void AddSpectrum(SvgChart chart, string name, LatencySummary summary)
    {
        var points = PercentileSpectrum.FromHistogram(summary.GetHistogram());
        if (points.Count > 0)
        {
            chart.Add(new ChartSeries(name, points));
        }
    }

    private static string Downsampled(IReadOnlyList<TimelineBucket> points, string caption)
    {
        var seconds = points.Count == 0 ? 1 : points[0].Seconds;
        return seconds > 1
            ? caption + $" Each point merges {ReportFormat.Number(seconds)} seconds (upper percentiles and concurrency keep the worst second)."
            : caption;
    }

    private static void ErrorsAndChecks(StringBuilder sb, RunResult result)
    {
        sb.Append("<section id=\"errors\"><h2>Errors and checks</h2>");
        var errorRows = new List<IReadOnlyList<string>>();
        foreach (var s in result.Scenarios)
        {
            foreach (var (kind, count) in s.Errors.OrderByDescending(e => e.Value))
            {
                errorRows.Add([ReportFormat.Html(s.Name), "(iteration)", ReportFormat.Html(kind), ReportFormat.Count(count)]);
            }

            foreach (var step in s.Steps)
            {
                foreach (var (kind, count) in step.Errors.OrderByDescending(e => e.Value))
                {
                    errorRows.Add([ReportFormat.Html(s.Name), ReportFormat.Html(step.Name), ReportFormat.Html(kind), ReportFormat.Count(count)]);
                }
            }
        }

        if (errorRows.Count == 0)
        {
            sb.Append("<p>No errors.</p>");
        }
        else
        {
            HtmlPage.Table(sb, ["Scenario", "Step", "Kind", "Count"], errorRows, new HashSet<int> { 3 });
        }

        var codeRows = result.Scenarios.SelectMany(s => s.Steps.SelectMany(step => step.StatusCodes.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (IReadOnlyList<string>)[ReportFormat.Html(s.Name), ReportFormat.Html(step.Name), ReportFormat.Html(c.Key), ReportFormat.Count(c.Value)]))).ToList();
        if (codeRows.Count > 0)
        {
            sb.Append("<h3>Status codes</h3>");
            HtmlPage.Table(sb, ["Scenario", "Step", "Status", "Responses"], codeRows, new HashSet<int> { 3 });
        }

        var checkRows = result.Scenarios.SelectMany(s => s.Checks.Select(c =>
        {
            var total = c.Value.Pass + c.Value.Fail;
            var rate = total == 0 ? 1 : (double)c.Value.Pass / total;
            return (IReadOnlyList<string>)
            [
                HtmlPage.Verdict(c.Value.Fail == 0),
                ReportFormat.Html(s.Name),
                ReportFormat.Html(c.Key),
                ReportFormat.Count(c.Value.Pass),
                ReportFormat.Count(c.Value.Fail),
                ReportFormat.Html(ReportFormat.Percent(rate)),
            ];
        })).ToList();
        sb.Append("<h3>Checks</h3>");
        if (checkRows.Count == 0)
        {
            sb.Append("<p>No checks.</p>");
        }
        else
        {
            HtmlPage.Table(sb, ["All passed", "Scenario", "Check", "Passed", "Failed", "Pass rate"], checkRows, new HashSet<int> { 3, 4, 5 });
        }

        sb.Append("</section>\n");
    }

    private static void Business(StringBuilder sb, RunResult result)
    {
        sb.Append("<section id=\"business\"><h2>Business outcomes</h2>");
        var any = false;
        foreach (var s in result.Scenarios)
        {
            foreach (var (evt, outcomes) in s.Business.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                any = true;
                var total = outcomes.Values.Sum();
                sb.Append("<h3>").Append(ReportFormat.Html(s.Name)).Append(": ").Append(ReportFormat.Html(evt)).Append("</h3>");
                var rows = outcomes.OrderByDescending(o => o.Value).Select(o =>
                {
                    var share = total == 0 ? 0 : (double)o.Value / total;
                    return (IReadOnlyList<string>)
                    [
                        ReportFormat.Html(o.Key),
                        ReportFormat.Count(o.Value),
                        $"<span class=\"bar\" style=\"width:{ReportFormat.Coord(share * 240)}px\" aria-hidden=\"true\"></span>{ReportFormat.Html(ReportFormat.Percent(share))}",
                    ];
                });
                HtmlPage.Table(sb, ["Outcome", "Count", "Share"], rows, new HashSet<int> { 1 });
            }
        }

        if (!any)
        {
            sb.Append("<p>No business counters were recorded.</p>");
        }

        sb.Append("</section>\n");
    }

    private static void Faults(StringBuilder sb, RunResult result)
    {
        sb.Append("<section id=\"faults\"><h2>Faults</h2>");
        if (result.Faults.Count == 0)
        {
            sb.Append("<p>No faults were injected.</p></section>\n");
            return;
        }

        var rows = result.Faults.Select(f =>
        {
            var from = (f.Start - result.StartedAt).TotalSeconds;
            var to = f.End is { } end ? (end - result.StartedAt).TotalSeconds : (double?)null;
            return (IReadOnlyList<string>)
            [
                ReportFormat.Html(f.Name),
                ReportFormat.Html(f.Kind),
                ReportFormat.Html(f.Target),
                ReportFormat.Number(Math.Round(from, 1)) + " s",
                to is { } t ? ReportFormat.Number(Math.Round(t, 1)) + " s" : "still active at the end",
                f.Injected is { } n ? ReportFormat.Count(n) : "–",
            ];
        });
        HtmlPage.Table(sb, ["Fault", "Kind", "Target", "From", "To", "Requests affected"], rows, new HashSet<int> { 3, 4, 5 });
        sb.Append("</section>\n");
    }

    private static void Generator(StringBuilder sb, RunResult result)
    {
        var g = result.Generator;
        sb.Append("<section id=\"generator\"><h2>Load generator health</h2>");
        var warnings = new List<string>();
        if (g.CpuRatio > 0.8)
        {
            warnings.Add($"the generator used {ReportFormat.Percent(g.CpuRatio)} of the CPU: latencies may include the generator's own delay");
        }

        if (g.DroppedIterations > 0)
        {
            warnings.Add($"{ReportFormat.Count(g.DroppedIterations)} iterations were due but never started");
        }

        foreach (var w in warnings)
        {
            sb.Append("<p class=\"warn\">⚠ ").Append(ReportFormat.Html(w)).Append("</p>");
        }

        var lateness = g.LaunchLateness.Count == 0 ? "–" : $"p99 {ReportFormat.Latency(g.LaunchLateness.P99)}, max {ReportFormat.Latency(g.LaunchLateness.Max)}";
        HtmlPage.Table(sb, ["CPU", "GC pauses", "GCs", "Dropped iterations", "Launch lateness", "Peak working set"],
            [[
                ReportFormat.Html(ReportFormat.Percent(g.CpuRatio)),
                ReportFormat.Html(ReportFormat.Latency(g.GcPauseSeconds)),
                ReportFormat.Count(g.GcCount),
                ReportFormat.Count(g.DroppedIterations),
                ReportFormat.Html(lateness),
                ReportFormat.Html(ReportFormat.Significant(g.PeakWorkingSetBytes / 1048576.0) + " MiB"),
            ]]);

        if (result.Telemetry.Sinks.Count > 0)
        {
            sb.Append("<h3>Telemetry</h3>");
            var rows = result.Telemetry.Sinks.Select(s => (IReadOnlyList<string>)
            [
                ReportFormat.Html(s.Name),
                ReportFormat.Html(s.Endpoint ?? ""),
                s.Delivered ? "<span class=\"ok\">✓ yes</span>" : "<span class=\"bad\">✗ NO</span>",
                ReportFormat.Count(s.Sent),
                ReportFormat.Count(s.Errors),
                ReportFormat.Count(s.Dropped),
                ReportFormat.Html(s.LastError ?? ""),
            ]);
            HtmlPage.Table(sb, ["Sink", "Endpoint", "Delivered", "Sent", "Errors", "Dropped", "Last error"], rows, new HashSet<int> { 3, 4, 5 });
        }

        sb.Append("</section>\n");
    }
}
