using System.Xml.Linq;
using LoadLab.Results;

namespace LoadLab.Reports.Tests.Run;

public class RunJUnitReportTests
{
    [Fact]
    public void RenderJUnit_FailedRun_CountsTestsAndFailures()
    {
        var doc = XDocument.Parse(RunReportRenderer.RenderJUnit(TestData.Run(seconds: 60)));

        var root = doc.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("5", root.Attribute("tests")!.Value);
        Assert.Equal("1", root.Attribute("failures")!.Value);
        var suite = Assert.Single(root.Elements("testsuite"));
        Assert.Equal("loadlab.run.nightly", suite.Attribute("name")!.Value);
        Assert.Equal("5", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal(5, suite.Elements("testcase").Count());
    }

    [Fact]
    public void RenderJUnit_FailedThreshold_HasFailureWithReason()
    {
        var doc = XDocument.Parse(RunReportRenderer.RenderJUnit(TestData.Run(seconds: 60)));

        var cases = doc.Descendants("testcase").ToList();
        Assert.Equal(
            ["browse_catalog: p95(response_time) < 300ms", "payment_flow: p99(response_time) < 250ms", "payment_flow: error_rate < 5% (window 30s)", "account_closed: checks > 99%", "run completed"],
            cases.Select(c => c.Attribute("name")!.Value));
        var failure = Assert.Single(doc.Descendants("failure"));
        Assert.Equal("payment_flow: p99(response_time) < 250ms", failure.Parent!.Attribute("name")!.Value);
        Assert.Equal("loadlab.run.nightly.thresholds.payment_flow", failure.Parent!.Attribute("classname")!.Value);
        Assert.Equal("threshold 'p99(response_time) < 250ms' failed: measured 412 ms, bound 250 ms", failure.Attribute("message")!.Value);
    }

    [Fact]
    public void RenderJUnit_InterruptedRun_FailsTheRunCaseWithTheReason()
    {
        var doc = XDocument.Parse(RunReportRenderer.RenderJUnit(TestData.Run(seconds: 60, status: RunStatus.Interrupted)));

        Assert.Equal("1", doc.Root!.Attribute("failures")!.Value);
        var failure = Assert.Single(doc.Descendants("failure"));
        Assert.Equal("run completed", failure.Parent!.Attribute("name")!.Value);
        Assert.Equal("run interrupted: SIGTERM received after 120 s", failure.Attribute("message")!.Value);
    }

    [Fact]
    public void RenderJUnit_FailedRunWithoutFailedThreshold_FailsTheRunCase()
    {
        var result = TestData.Run(seconds: 10, status: RunStatus.Passed);
        result.Status = RunStatus.Failed;
        result.Error = "scenario 'payment_flow' init threw: connection refused";

        var doc = XDocument.Parse(RunReportRenderer.RenderJUnit(result));

        var failure = Assert.Single(doc.Descendants("failure"));
        Assert.Equal("run failed: scenario 'payment_flow' init threw: connection refused", failure.Attribute("message")!.Value);
    }

    [Fact]
    public void RenderJUnit_PassedRun_HasNoFailures()
    {
        var doc = XDocument.Parse(RunReportRenderer.RenderJUnit(TestData.Run(seconds: 10, status: RunStatus.Passed)));

        Assert.Equal("0", doc.Root!.Attribute("failures")!.Value);
        Assert.Empty(doc.Descendants("failure"));
        Assert.Equal("2026-11-24T01:00:00", doc.Root.Element("testsuite")!.Attribute("timestamp")!.Value);
    }
}
