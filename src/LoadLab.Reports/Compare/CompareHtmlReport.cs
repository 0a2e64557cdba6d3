using System.Globalization;
using System.Text;
using LoadLab.Compare.Model;
using LoadLab.Reports.Formatting;
using LoadLab.Reports.Html;
using LoadLab.Reports.Svg;

namespace LoadLab.Reports.Compare;

/// <summary>Renders the self-contained HTML report of a comparison.</summary>
internal static class CompareHtmlReport
{
    private static readonly HashSet<int> s_numeric = [2, 3, 4, 5, 6, 7];

    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var candidate = CompareFormat.RunName(report.Candidate);
        var sb = HtmlPage.Begin($"LoadLab comparison: {candidate}");
        sb.Append("<header><h1>LoadLab comparison: ").Append(ReportFormat.Html(candidate)).Append("</h1>");
        Banner(sb, report);
        Runs(sb, report);
        sb.Append("</header>\n<nav aria-label=\"Sections\"><a href=\"#metrics\">Metrics</a><a href=\"#distributions\">Latency distributions</a><a href=\"#settings\">Settings</a></nav>\n");
        Metrics(sb, report);
        Distributions(sb, report);
        Settings(sb, report);
        return HtmlPage.End(sb);
    }

    private static void Banner(StringBuilder sb, ComparisonReport report)
    {
        var (cls, symbol) = report.Verdict switch
        {
            Verdict.Pass => ("passed", "✓"),
            Verdict.Marginal => ("marginal", "⚠"),
            _ => ("failed", "✗"),
        };
        sb.Append("<div class=\"banner ").Append(cls).Append("\" role=\"status\" id=\"verdict\">").Append(symbol).Append(' ')
          .Append(ReportFormat.Html(CompareFormat.VerdictHeadline(report)));
        foreach (var reason in report.Reasons)
        {
            sb.Append("<span class=\"detail\">").Append(ReportFormat.Html(reason)).Append("</span>");
        }

        sb.Append("</div>");
        var regressed = report.AllJudgements().Where(j => j.Judgement.Classification == Classification.Regressed).ToList();
        if (regressed.Count > 0)
        {
            sb.Append("<p><strong>Regressions:</strong> ");
            sb.Append(string.Join("; ", regressed.Select(r => ReportFormat.Html($"{CompareFormat.Scope(r.Scenario, r.Step)} {CompareFormat.MetricName(r.Judgement)} {CompareFormat.Delta(r.Judgement)}"))));
            sb.Append("</p>");
        }
    }

    private static void Runs(StringBuilder sb, ComparisonReport report)
    {
        var rows = report.Baselines.Select(b => Row("baseline", b)).Append(Row("candidate", report.Candidate));
        HtmlPage.Table(sb, ["Role", "Run", "Release", "Started", "Read from"], rows);
        foreach (var note in report.Notes)
        {
            sb.Append("<p class=\"small\">Note: ").Append(ReportFormat.Html(note)).Append("</p>");
        }

        static IReadOnlyList<string> Row(string role, RunReference r) =>
        [
            role,
            ReportFormat.Html(r.Id),
            ReportFormat.Html(r.Release ?? "–"),
            r.StartedAt is { } t ? ReportFormat.Html(ReportFormat.Time(t)) : "–",
            ReportFormat.Html(r.Location),
        ];
    }

    private static void Metrics(StringBuilder sb, ComparisonReport report)
    {
        sb.Append("<section id=\"metrics\"><h2>Metrics</h2>")
          .Append("<p class=\"small\">Delta is candidate minus baseline (the relative change below it; ratios change in percentage points, pt); the interval is the confidence interval of the delta; ")
          .Append("the p-value is one-sided, in the worse direction. A metric regresses when the change is significant and beyond its tolerance.</p>");
        var rows = report.AllJudgements()
            .OrderBy(j => j.Judgement.Classification != Classification.Regressed)
            .Select(j => (IReadOnlyList<string>)
            [
                ReportFormat.Html(CompareFormat.Scope(j.Scenario, j.Step)),
                ReportFormat.Html(CompareFormat.MetricName(j.Judgement)),
                ReportFormat.Html(CompareFormat.Value(j.Judgement, j.Judgement.Baseline)),
                ReportFormat.Html(CompareFormat.Value(j.Judgement, j.Judgement.Candidate)),
                DeltaCell(j.Judgement),
                IntervalCell(j.Judgement.Unit, j.Judgement.DeltaInterval),
                ReportFormat.Html(CompareFormat.PValue(j.Judgement.PValue)) + (j.Judgement.Test is { } test ? $"<br><span class=\"small\">{ReportFormat.Html(test)}</span>" : ""),
                ReportFormat.Html(CompareFormat.Tolerance(j.Judgement)),
                Classified(j.Judgement.Classification) + (string.IsNullOrEmpty(j.Judgement.Reason) ? "" : $"<br><span class=\"small\">{ReportFormat.Html(j.Judgement.Reason)}</span>"),
            ]).ToList();
        if (rows.Count == 0)
        {
            sb.Append("<p>No metric was judged.</p></section>\n");
            return;
        }

        HtmlPage.Table(sb, ["Scenario / step", "Metric", "Baseline", "Candidate", "Delta", "Interval", "p-value", "Tolerance", "Classification and reason"], rows, s_numeric);
        sb.Append("</section>\n");
    }

    /// <summary>The change on one line and the relative change below, so that the column stays narrow.</summary>
    private static string DeltaCell(MetricJudgement m) => m.Delta is not { } d
        ? "–"
        : ReportFormat.Html(CompareFormat.Signed(m.Unit, d)) + (m.RelativeDelta is { } r ? $"<br><span class=\"small\">{ReportFormat.Html(CompareFormat.SignedPercent(r))}</span>" : "");

    /// <summary>The bounds on one line and the level below, so that the column stays narrow.</summary>
    private static string IntervalCell(string unit, Interval? interval) => interval is null
        ? "–"
        : $"{ReportFormat.Html(CompareFormat.Signed(unit, interval.Lower))} to {ReportFormat.Html(CompareFormat.Signed(unit, interval.Upper))}<br><span class=\"small\">{ReportFormat.Html(ReportFormat.Percent(interval.Level))} interval</span>";

    private static string Classified(Classification c)
    {
        var cls = c switch
        {
            Classification.Regressed => "bad",
            Classification.NoData => "warn",
            _ => "ok",
        };
        return $"<span class=\"{cls}\">{ReportFormat.Html(CompareFormat.Classification(c))}</span>";
    }

    private static void Distributions(StringBuilder sb, ComparisonReport report)
    {
        sb.Append("<section id=\"distributions\"><h2>Latency distributions</h2>")
          .Append("<p class=\"small\">Baseline and candidate overlaid as percentile spectra (HdrHistogram style): the further right, the rarer and slower the request.</p>");
        var index = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (scenario, step, m) in report.AllJudgements())
        {
            if (m.Latency is not { } latency || (latency.BaselineDistribution.Count == 0 && latency.CandidateDistribution.Count == 0))
            {
                continue;
            }

            var scope = CompareFormat.Scope(scenario, step);
            if (!seen.Add(scope + "\n" + latency.Measure))
            {
                continue;
            }

            index++;
            var chart = new SvgChart("chart-" + index.ToString(CultureInfo.InvariantCulture), $"Latency by percentile: {scope}", "percentile (log scale: 90%, 99%, 99.9%, ...)", "milliseconds")
            {
                XAxis = ChartAxis.LogPercentile,
            };
            var baseline = PercentileSpectrum.FromBuckets(latency.BaselineDistribution.Select(b => (b.Upper, b.Count)));
            var candidate = PercentileSpectrum.FromBuckets(latency.CandidateDistribution.Select(b => (b.Upper, b.Count)));
            chart.Add(new ChartSeries($"baseline ({ReportFormat.Count(latency.BaselineCount)} values)", baseline));
            chart.Add(new ChartSeries($"candidate ({ReportFormat.Count(latency.CandidateCount)} values)", candidate));
            sb.Append("<h3>").Append(ReportFormat.Html(scope)).Append("</h3>");
            sb.Append(chart.Render($"{latency.Measure} of {scope}: baseline (solid) and candidate (dashed). Hodges-Lehmann shift {CompareFormat.Signed("us", latency.HodgesLehmannShift)}, "
                + $"probability that a candidate request is slower than a baseline request {ReportFormat.Percent(latency.ProbabilityCandidateHigher)}."));

            if (latency.Percentiles.Count > 0)
            {
                var rows = latency.Percentiles.Select(p => (IReadOnlyList<string>)
                [
                    "p" + ReportFormat.Number(p.Percentile),
                    ReportFormat.Html(CompareFormat.Value("us", p.Baseline)),
                    ReportFormat.Html(CompareFormat.Value("us", p.Candidate)),
                    ReportFormat.Html(CompareFormat.Signed("us", p.Delta) + (p.RelativeDelta is { } r ? $" ({CompareFormat.SignedPercent(r)})" : "")),
                    ReportFormat.Html(CompareFormat.Interval("us", p.DeltaInterval)),
                ]);
                HtmlPage.Table(sb, ["Percentile", "Baseline", "Candidate", "Delta", "Bootstrap interval"], rows, new HashSet<int> { 1, 2, 3, 4 });
            }
        }

        if (index == 0)
        {
            sb.Append("<p>No latency distributions were compared.</p>");
        }

        sb.Append("</section>\n");
    }

    private static void Settings(StringBuilder sb, ComparisonReport report)
    {
        var s = report.Settings;
        sb.Append("<section id=\"settings\"><h2>Settings</h2>");
        HtmlPage.Table(sb, ["Source", "Latency", "Alpha", "Pass score", "Marginal score", "Bootstrap", "Gate file"],
            [[
                ReportFormat.Html(report.Source),
                ReportFormat.Html(s.Latency),
                ReportFormat.Number(s.Alpha),
                ReportFormat.Number(s.PassScore),
                ReportFormat.Number(s.MarginalScore),
                ReportFormat.Html($"{s.BootstrapResamples} resamples, seed {s.Seed}"),
                ReportFormat.Html(s.GateFile ?? "defaults"),
            ]]);
        sb.Append("</section>\n");
    }
}
