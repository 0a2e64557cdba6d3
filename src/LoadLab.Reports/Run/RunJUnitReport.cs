using System.Globalization;
using System.Xml.Linq;
using LoadLab.Reports.Formatting;
using LoadLab.Results;

namespace LoadLab.Reports.Run;

/// <summary>
/// Renders JUnit XML for CI test tabs: one test case per threshold, and one for the run itself
/// (it fails when the run was aborted or interrupted, or failed for a reason no threshold shows).
/// </summary>
internal static class RunJUnitReport
{
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var suiteName = $"loadlab.run.{(string.IsNullOrEmpty(result.Profile) ? "run" : result.Profile)}";
        var cases = new List<XElement>();
        foreach (var t in result.Thresholds)
        {
            var testcase = new XElement("testcase",
                new XAttribute("classname", $"{suiteName}.thresholds.{(string.IsNullOrEmpty(t.Scenario) ? "run" : t.Scenario)}"),
                new XAttribute("name", ReportFormat.ThresholdName(t)),
                new XAttribute("time", "0"));
            if (!t.Passed)
            {
                var message = $"threshold '{t.Expr}' failed: {ReportFormat.ThresholdReason(t)}";
                testcase.Add(new XElement("failure", new XAttribute("message", message), new XAttribute("type", "threshold"), message));
            }

            cases.Add(testcase);
        }

        var runCase = new XElement("testcase",
            new XAttribute("classname", suiteName),
            new XAttribute("name", "run completed"),
            new XAttribute("time", Seconds(result.DurationSeconds)));
        var thresholdFailed = result.Thresholds.Any(t => !t.Passed);
        if (result.Status is RunStatus.Aborted or RunStatus.Interrupted || (result.Status == RunStatus.Failed && !thresholdFailed))
        {
            var message = $"run {result.Status}" + (string.IsNullOrEmpty(result.Error) ? "" : $": {result.Error}");
            runCase.Add(new XElement("failure", new XAttribute("message", message), new XAttribute("type", result.Status), message));
        }

        cases.Add(runCase);
        var failures = cases.Count(c => c.Element("failure") is not null);
        var props = new XElement("properties",
            new XElement("property", new XAttribute("name", "run_id"), new XAttribute("value", result.RunId)),
            new XElement("property", new XAttribute("name", "status"), new XAttribute("value", result.Status)));
        foreach (var (key, value) in result.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            props.Add(new XElement("property", new XAttribute("name", key), new XAttribute("value", value)));
        }

        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("timestamp", result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("time", Seconds(result.DurationSeconds)),
            props,
            cases);
        return JUnit.Document(suite);
    }

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>JUnit document helpers shared by the run and comparison reports.</summary>
internal static class JUnit
{
    /// <summary>Wraps suites in <c>testsuites</c> with totals and returns the XML text.</summary>
    public static string Document(params XElement[] suites)
    {
        var root = new XElement("testsuites",
            new XAttribute("name", "loadlab"),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)),
            new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            new XAttribute("errors", 0),
            suites);
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        using var writer = new Utf8StringWriter();
        doc.Save(writer);
        return writer.ToString() + "\n";
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
