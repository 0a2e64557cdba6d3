using System.Text.RegularExpressions;

namespace LoadLab.Reports.Tests.Browser;

/// <summary>Checks an HTML report in real headless Chromium: no console errors, every chart drawn, a screenshot that is not blank.</summary>
internal static partial class BrowserAssert
{
    public static async Task RendersAsync(string html, string name)
    {
        var dir = Directory.CreateTempSubdirectory("loadlab-report-");
        var file = Path.Combine(dir.FullName, name + ".html");
        await File.WriteAllTextAsync(file, html);
        var expectedCharts = ChartIdRegex().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(expectedCharts);

        var (dom, console) = await Chromium.DumpDomAsync(file);
        Assert.Empty(console);
        var charts = Chromium.Charts(dom);
        Assert.Equal(expectedCharts, charts.Keys);
        Assert.All(charts, c => Assert.True(c.Value, $"chart {c.Key} has no <svg> with a drawn line in the rendered DOM"));

        var png = Path.Combine(dir.FullName, name + ".png");
        var shotConsole = await Chromium.ScreenshotAsync(file, png);
        Assert.Empty(shotConsole);
        var image = Png.Read(png);
        Assert.Equal(1280, image.Width);
        Assert.True(image.DistinctColours() > 50, $"screenshot {png} has only {image.DistinctColours()} colours: blank?");
        Assert.InRange(image.InkRatio(), 0.02, 0.9);

        // Kept only when asked, so a person can look at it: LOADLAB_KEEP_REPORTS=1.
        if (Environment.GetEnvironmentVariable("LOADLAB_KEEP_REPORTS") != "1")
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex("<figure class=\"chart\" id=\"([^\"]+)\">")]
    private static partial Regex ChartIdRegex();
}
