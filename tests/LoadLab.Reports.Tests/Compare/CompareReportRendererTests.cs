using LoadLab.Compare.Model;
using LoadLab.Reports.Tests.Browser;

namespace LoadLab.Reports.Tests.Compare;

[Collection(ChromiumCollection.Name)]
public class CompareReportRendererTests
{
    [Fact]
    public async Task RenderHtml_RealComparison_RendersInChromiumWithEveryChart()
    {
        var report = CompareTestData.Judged();

        var html = CompareReportRenderer.RenderHtml(report);

        Assert.Contains("Latency by percentile: payment_flow", html);
        await BrowserAssert.RendersAsync(html, "compare-report");
    }

    [Fact]
    public async Task RenderHtml_TwoRealRunResults_RendersInChromium()
    {
        var data = Path.Combine(AppContext.BaseDirectory, "Run", "Data");
        var baseline = LoadLab.Compare.Judging.RunDataReader.Read(Path.Combine(data, "delay-run.json"));
        var candidate = LoadLab.Compare.Judging.RunDataReader.Read(Path.Combine(data, "delay-run-slower.json"));
        var report = new LoadLab.Compare.Judging.Comparer(new LoadLab.Compare.Configuration.ComparisonOptions { BootstrapResamples = 200 }).Compare([baseline], candidate);

        var html = CompareReportRenderer.RenderHtml(report);

        Assert.Contains("Latency by percentile: delay</title>", html);
        await BrowserAssert.RendersAsync(html, "compare-real-runs");
    }

    [Fact]
    public void RenderHtml_RealComparison_HasOneRowPerJudgedMetric()
    {
        var report = CompareTestData.Judged();

        var html = CompareReportRenderer.RenderHtml(report);

        var metricsSection = html[html.IndexOf("id=\"metrics\"", StringComparison.Ordinal)..html.IndexOf("id=\"distributions\"", StringComparison.Ordinal)];
        var rows = metricsSection.Split("<tr>").Length - 2;
        Assert.Equal(report.AllJudgements().Count(), rows);
    }

    [Fact]
    public void RenderHtml_RegressedMetric_ShowsVerdictValuesIntervalAndClassification()
    {
        var html = CompareReportRenderer.RenderHtml(CompareTestData.Manual());

        Assert.Contains("class=\"banner failed\"", html);
        Assert.Contains("✗ FAIL: score 50 (1 of 2 judged metrics passed)", html);
        Assert.Contains("critical metric regressed: payment_flow/authorize latency p95", html);
        Assert.Contains("<td>payment_flow / authorize</td><td>latency p95 (critical)</td><td class=\"n\">120 ms</td><td class=\"n\">180 ms</td>"
            + "<td class=\"n\">+60 ms<br><span class=\"small\">+50%</span></td><td class=\"n\">+45 ms to +75 ms<br><span class=\"small\">99% interval</span></td><td class=\"n\">&lt; 0.0001", html);
        Assert.Contains("<span class=\"bad\">✗ REGRESSED</span><br><span class=\"small\">p95 +50% (tolerance 10%), p &lt; 0.0001</span>", html);
        Assert.Contains("– no data", html);
        Assert.Contains("<td class=\"n\">+0.1 pt<br><span class=\"small\">+10%</span></td>", html);
        Assert.Contains("<td class=\"n\">0.5 pt</td>", html);
        Assert.Contains("scenario &#39;legacy&#39; is only in the baseline", html);
    }

    [Fact]
    public void RenderHtml_LatencyMetric_OverlaysBaselineAndCandidate()
    {
        var html = CompareReportRenderer.RenderHtml(CompareTestData.Manual());

        Assert.Contains("Latency by percentile: payment_flow / authorize</title>", html);
        Assert.Contains("<title>baseline (5,000 values)</title>", html);
        Assert.Contains("<title>candidate (5,000 values)</title>", html);
    }

    [Fact]
    public void RenderHtml_NothingJudged_SaysSo()
    {
        var html = CompareReportRenderer.RenderHtml(new ComparisonReport { Verdict = Verdict.Pass });

        Assert.Contains("No metric was judged.", html);
        Assert.Contains("No latency distributions were compared.", html);
    }
}

public class CompareReportRendererTextTests
{
    [Fact]
    public void RenderMarkdown_RealComparison_TablesAreWellFormedAndUnderLimit()
    {
        var md = CompareReportRenderer.RenderMarkdown(CompareTestData.Judged());

        Assert.InRange(md.Length, 200, 65_000);
        var tables = Run.MarkdownTables.Parse(md);
        Assert.NotEmpty(tables);
        Assert.All(tables, Run.MarkdownTables.AssertWellFormed);
    }

    [Fact]
    public void RenderJUnit_RealComparison_OneTestCasePerJudgedMetric()
    {
        var report = CompareTestData.Judged();

        var doc = System.Xml.Linq.XDocument.Parse(CompareReportRenderer.RenderJUnit(report));

        var judged = report.AllJudgements().Count(j => j.Judgement.Classification != Classification.NoData);
        var regressed = report.AllJudgements().Count(j => j.Judgement.Classification == Classification.Regressed);
        Assert.True(regressed > 0);
        var cases = doc.Descendants("testcase").Where(c => c.Element("skipped") is null).ToList();
        Assert.Equal(judged, cases.Count);
        Assert.Equal(regressed, doc.Descendants("failure").Count());
        Assert.All(doc.Descendants("failure"), f => Assert.False(string.IsNullOrWhiteSpace(f.Attribute("message")?.Value)));
    }
}
