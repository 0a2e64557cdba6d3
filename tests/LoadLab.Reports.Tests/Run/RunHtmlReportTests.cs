using System.Text.RegularExpressions;
using LoadLab.Reports.Tests.Browser;
using LoadLab.Results;

namespace LoadLab.Reports.Tests.Run;

[Collection(ChromiumCollection.Name)]
public class RunHtmlReportTests
{
    [Fact]
    public async Task RenderHtml_TenMinuteRun_RendersInChromiumWithEveryChart()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run());

        await BrowserAssert.RendersAsync(html, "run-report");
    }

    [Fact]
    public async Task RenderHtml_InterruptedRun_RendersInChromium()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run(seconds: 120, status: RunStatus.Interrupted));

        await BrowserAssert.RendersAsync(html, "run-interrupted");
    }

    [Fact]
    public void RenderHtml_TenMinuteRun_StaysUnderTwoMegabytes()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run(seconds: 600));

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(html), 50_000, 2 * 1024 * 1024);
    }

    [Fact]
    public void RenderHtml_TwoHourRun_DownsamplesTimelineAndStaysUnderTwoMegabytes()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run(seconds: 7200));

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(html), 50_000, 2 * 1024 * 1024);
        Assert.Contains("Each point merges 12 seconds", html);
        var longest = Regex.Matches(html, "<path class=\"series\"[^>]* d=\"([^\"]+)\"").Max(m => m.Groups[1].Value.Count(c => c == 'L') + 1);
        Assert.InRange(longest, 100, 600);
    }

    [Fact]
    public void RenderHtml_FailedRun_ShowsVerdictFirstAndFailingThreshold()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run());

        var banner = html.IndexOf("class=\"banner failed\"", StringComparison.Ordinal);
        Assert.True(banner > 0 && banner < html.IndexOf("id=\"thresholds\"", StringComparison.Ordinal));
        Assert.Contains("✗ FAILED: 1 of 4 thresholds failed", html);
        Assert.Matches("✗ FAIL</span></td><td>payment_flow</td><td><code>p99\\(response_time\\) &lt; 250ms</code></td><td>whole run</td><td class=\"n\">412 ms</td><td class=\"n\">250 ms</td>", html);
    }

    [Theory]
    [InlineData(RunStatus.Interrupted, "INTERRUPTED: the run was stopped")]
    [InlineData(RunStatus.Aborted, "ABORTED: a threshold with abort stopped the run early")]
    public void RenderHtml_StoppedRun_MarksResultPartial(string status, string headline)
    {
        var result = TestData.Run(seconds: 60, status: status);

        var html = RunReportRenderer.RenderHtml(result);

        Assert.Contains($"class=\"banner {status}\"", html);
        Assert.Contains(headline, html);
        Assert.Contains("This result is partial", html);
    }

    [Fact]
    public void RenderHtml_InterruptedRun_ShowsTheReason()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run(seconds: 60, status: RunStatus.Interrupted));

        Assert.Contains("SIGTERM received after 120 s", html);
    }

    [Fact]
    public void RenderHtml_AnyRun_FetchesNothingFromTheNetwork()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run(seconds: 60));

        Assert.DoesNotMatch("(src|href)\\s*=\\s*\"(https?:)?//", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(http", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
    }

    [Fact]
    public void RenderHtml_LabelWithMarkup_IsEncoded()
    {
        var html = RunReportRenderer.RenderHtml(TestData.Run(seconds: 60));

        Assert.Contains("payments &amp; &lt;checkout&gt;", html);
        Assert.DoesNotContain("<checkout>", html);
    }

    [Fact]
    public void RenderHtml_TenMinuteRun_HasEachChartKindPerScenario()
    {
        var result = TestData.Run(seconds: 600);

        var html = RunReportRenderer.RenderHtml(result);

        foreach (var s in result.Scenarios)
        {
            Assert.Contains($"Response time over time: {s.Name}</title>", html);
            Assert.Contains($"Target vs achieved rate: {s.Name}</title>", html);
            Assert.Contains($"Errors over time by kind: {s.Name}</title>", html);
            Assert.Contains($"Latency by percentile: {s.Name}</title>", html);
        }

        Assert.Contains("Iterations in flight (virtual users)</title>", html);
        Assert.Contains("fault: payments-latency", html);
        Assert.Contains("<td>approved</td>", html);
    }

    [Fact]
    public void RenderHtml_ScenarioWithoutTimelineOrHistograms_SaysSoInsteadOfEmptyCharts()
    {
        var result = new RunResult { RunId = "r1", Profile = "p", Scenarios = [new ScenarioResult { Name = "empty" }] };

        var html = RunReportRenderer.RenderHtml(result);

        Assert.Contains("No timeline was recorded for this scenario.", html);
        Assert.Contains("No latency histogram was recorded for empty.", html);
        Assert.DoesNotContain("<figure", html);
    }

    [Fact]
    public void RenderHtml_StepLatencies_ShowPercentilesOfResponseAndServiceTime()
    {
        var result = TestData.Run(seconds: 60);
        var step = result.Scenarios[1].Steps[1];

        var html = RunReportRenderer.RenderHtml(result);

        var row = Regex.Match(html, "<tr class=\"step\"><td rowspan=\"2\">authorize</td>.*?</tr><tr class=\"step-service\">.*?</tr>").Value;
        Assert.Contains(Formatting.ReportFormat.Latency(step.ResponseTime.P999), row);
        Assert.Contains(Formatting.ReportFormat.Latency(step.ServiceTime.P99), row);
        Assert.Contains(Formatting.ReportFormat.Latency(step.ResponseTime.Max), row);
    }

    [Fact]
    public async Task RenderHtml_ResultOfARealRun_RendersInChromium()
    {
        var result = ResultFile.Read(Path.Combine(AppContext.BaseDirectory, "Run", "Data", "delay-run.json"));

        var html = RunReportRenderer.RenderHtml(result);

        Assert.Contains("✗ FAILED: 2 of 3 thresholds failed", html);
        await BrowserAssert.RendersAsync(html, "real-run");
    }

    [Fact]
    public void RenderHtml_ErrorThatRepeatsTheHeadline_IsShownOnce()
    {
        var result = TestData.Run(seconds: 10);
        result.Error = "1 of 4 thresholds failed";

        var html = RunReportRenderer.RenderHtml(result);

        Assert.Single(Regex.Matches(html, "1 of 4 thresholds failed"));
    }

    [Fact]
    public void RenderHtml_SecondsWithoutCompletions_AreLeftOutOfLatencyLines()
    {
        var result = TestData.Run(seconds: 30);
        foreach (var p in result.Timeline.Where(p => p.Scenario == "browse_catalog" && p.T > 20))
        {
            (p.Ok, p.Fail, p.P50, p.P95, p.P99, p.ServiceP50, p.ServiceP95) = (0, 0, 0, 0, 0, 0, 0);
        }

        var html = RunReportRenderer.RenderHtml(result);

        var figure = Regex.Match(html, "<figure class=\"chart\" id=\"chart-1\">.*?</figure>", RegexOptions.Singleline).Value;
        Assert.Contains("Response time over time: browse_catalog", figure);
        var lines = Regex.Matches(figure, "<path class=\"series\"[^>]* d=\"([^\"]+)\"").Select(m => m.Groups[1].Value.Count(c => c == 'L') + 1).ToList();
        Assert.Equal([20, 20, 20, 20, 20], lines);
    }
}
