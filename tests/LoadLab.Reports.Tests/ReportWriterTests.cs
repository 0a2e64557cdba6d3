using System.Xml.Linq;

namespace LoadLab.Reports.Tests;

public class ReportWriterTests
{
    [Fact]
    public void WriteAll_Run_WritesThreeReportsBesideTheResult()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("loadlab-writer-").FullName, "run-1");

        var paths = ReportWriter.WriteAll(TestData.Run(seconds: 30), dir);

        Assert.Equal([Path.Combine(dir, "report.html"), Path.Combine(dir, "summary.md"), Path.Combine(dir, "junit.xml")], paths);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(paths[0]));
        Assert.StartsWith("## LoadLab run nightly", File.ReadAllText(paths[1]));
        Assert.Equal("testsuites", XDocument.Load(paths[2]).Root!.Name.LocalName);
        Assert.NotEqual(0xEF, File.ReadAllBytes(paths[0])[0]);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }

    [Theory]
    [InlineData("html", "<!DOCTYPE html>")]
    [InlineData("markdown", "## LoadLab run nightly")]
    [InlineData("junit", "<?xml version=\"1.0\" encoding=\"utf-8\"?>")]
    public void WriteReport_NoOutput_WritesTheReportToStdout(string format, string start)
    {
        var dir = Directory.CreateTempSubdirectory("loadlab-writer-").FullName;
        LoadLab.Results.ResultFile.Write(TestData.Run(seconds: 20), dir);
        using var stdout = new StringWriter();

        ReportWriter.WriteReport(dir, format, null, stdout);

        Assert.StartsWith(start, stdout.ToString());
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void WriteReport_Output_WritesTheFileAndPrintsItsPath()
    {
        var dir = Directory.CreateTempSubdirectory("loadlab-writer-").FullName;
        var resultPath = LoadLab.Results.ResultFile.Write(TestData.Run(seconds: 20), dir);
        var output = Path.Combine(dir, "out", "summary.md");
        using var stdout = new StringWriter();

        ReportWriter.WriteReport(resultPath, "markdown", output, stdout);

        Assert.Equal(output + Environment.NewLine, stdout.ToString());
        Assert.Contains("FAILED: 1 of 4 thresholds failed", File.ReadAllText(output));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void WriteReport_MissingResult_ThrowsResultFileException()
    {
        var missing = Path.Combine(Path.GetTempPath(), "loadlab-no-such-run", "result.json");

        var e = Assert.Throws<LoadLab.Results.ResultFileException>(() => ReportWriter.WriteReport(missing, "html", null, TextWriter.Null));

        Assert.Contains("loadlab-no-such-run", e.Message);
    }

    [Fact]
    public void Render_UnknownFormat_ThrowsWithTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentException>(() => ReportWriter.Render(TestData.Run(seconds: 5), "pdf"));

        Assert.StartsWith("Unknown report format 'pdf'; expected one of: html, markdown, junit.", e.Message);
    }
}
