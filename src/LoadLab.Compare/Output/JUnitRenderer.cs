using System.Globalization;
using System.Text;
using System.Xml;
using LoadLab.Compare.Judging;
using LoadLab.Compare.Model;

namespace LoadLab.Compare.Output;

/// <summary>JUnit XML: one test suite per scenario, one test case per judged metric; a regression is a failure, NoData is skipped.</summary>
public static class JUnitRenderer
{
    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The XML.</returns>
    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // Write to bytes, so that the declaration says UTF-8 (a StringWriter would make it UTF-16).
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var w = XmlWriter.Create(stream, settings))
        {
            var all = report.AllJudgements().ToList();
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("name", "loadlab compare");
            w.WriteAttributeString("tests", all.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("failures", all.Count(x => x.Judgement.Classification == Classification.Regressed).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("skipped", all.Count(x => x.Judgement.Classification == Classification.NoData).ToString(CultureInfo.InvariantCulture));
            foreach (var group in all.GroupBy(x => x.Scenario))
            {
                var cases = group.ToList();
                w.WriteStartElement("testsuite");
                w.WriteAttributeString("name", group.Key);
                w.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("failures", cases.Count(x => x.Judgement.Classification == Classification.Regressed).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("skipped", cases.Count(x => x.Judgement.Classification == Classification.NoData).ToString(CultureInfo.InvariantCulture));
                foreach (var (scenario, step, j) in cases)
                {
                    w.WriteStartElement("testcase");
                    w.WriteAttributeString("classname", "loadlab.compare." + scenario);
                    w.WriteAttributeString("name", step is null ? Comparer.Label(j) : $"{step} {Comparer.Label(j)}");
                    var body = $"baseline {Formatting.Value(j.Baseline, j.Unit)}, candidate {Formatting.Value(j.Candidate, j.Unit)}, change {Formatting.Change(j)}, tolerance {Formatting.Tolerance(j)}, p {Formatting.P(j.PValue)}{(j.Critical ? ", critical" : "")}";
                    switch (j.Classification)
                    {
                        case Classification.Regressed:
                            w.WriteStartElement("failure");
                            w.WriteAttributeString("type", "Regressed");
                            w.WriteAttributeString("message", j.Reason);
                            w.WriteString(body);
                            w.WriteEndElement();
                            break;
                        case Classification.NoData:
                            w.WriteStartElement("skipped");
                            w.WriteAttributeString("message", j.Reason);
                            w.WriteEndElement();
                            break;
                        default:
                            w.WriteElementString("system-out", $"{j.Classification}: {j.Reason}; {body}");
                            break;
                    }

                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
