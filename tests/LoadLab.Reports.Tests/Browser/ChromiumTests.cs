namespace LoadLab.Reports.Tests.Browser;

/// <summary>Checks the browser harness itself, so that the report tests can fail.</summary>
[Collection(ChromiumCollection.Name)]
public class ChromiumTests
{
    [Fact]
    public async Task DumpDom_PageWithScriptError_ReportsConsoleMessages()
    {
        var dir = Directory.CreateTempSubdirectory("loadlab-chromium-test-");
        var file = Path.Combine(dir.FullName, "bad.html");
        await File.WriteAllTextAsync(file, "<html><body><p>x</p><script>console.error('boom'); notDefined();</script></body></html>");

        var (dom, console) = await Chromium.DumpDomAsync(file);

        Assert.Contains("<p>x</p>", dom);
        Assert.Contains(console, l => l.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(console, l => l.Contains("notDefined", StringComparison.Ordinal));
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Screenshot_BlankPage_DecodesAsBlank()
    {
        var dir = Directory.CreateTempSubdirectory("loadlab-chromium-test-");
        var file = Path.Combine(dir.FullName, "blank.html");
        await File.WriteAllTextAsync(file, "<html><body style=\"background:#fff\"></body></html>");
        var png = Path.Combine(dir.FullName, "blank.png");

        await Chromium.ScreenshotAsync(file, png);
        var image = Png.Read(png);

        Assert.Equal(1280, image.Width);
        Assert.Equal(2000, image.Height);
        Assert.True(image.DistinctColours() <= 2);
        Assert.Equal(0, image.InkRatio());
        dir.Delete(recursive: true);
    }

    [Fact]
    public void Charts_FigureWithoutPath_IsReportedEmpty()
    {
        var dom = "<figure class=\"chart\" id=\"a\"><svg><path class=\"series\" d=\"M1,2L3,4\"></path></svg></figure>"
            + "<figure class=\"chart\" id=\"b\"><svg></svg></figure>";

        var charts = Chromium.Charts(dom);

        Assert.True(charts["a"]);
        Assert.False(charts["b"]);
    }
}
