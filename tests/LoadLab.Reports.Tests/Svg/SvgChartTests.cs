using LoadLab.Reports.Svg;

namespace LoadLab.Reports.Tests.Svg;

public class SvgChartTests
{
    [Theory]
    [InlineData(0, "0%")]
    [InlineData(1, "90%")]
    [InlineData(2, "99%")]
    [InlineData(3, "99.9%")]
    [InlineData(5, "99.999%")]
    public void PercentileLabel_AxisPosition_NamesThePercentile(int k, string label)
    {
        Assert.Equal(label, SvgChart.PercentileLabel(k));
    }

    [Theory]
    [InlineData(90, 1)]
    [InlineData(99, 2)]
    [InlineData(99.9, 3)]
    public void PercentileToX_Percentile_IsLogOfOneOverTail(double percentile, double x)
    {
        Assert.Equal(x, SvgChart.PercentileToX(percentile), 6);
    }

    [Theory]
    [InlineData(0.13, 0.2)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(120, 200)]
    public void NiceStep_RawStep_RoundsUpToOneTwoOrFive(double raw, double nice)
    {
        Assert.Equal(nice, SvgChart.NiceStep(raw), 9);
    }

    [Fact]
    public void Render_SeriesAndBand_DrawsAccessibleFigure()
    {
        var chart = new SvgChart("c1", "Title <&>", "x", "y");
        chart.Add(new ChartSeries("first", [(0, 1), (1, 2), (2, 3)]));
        chart.Add(new ChartSeries("second", [(0, 3), (2, 1)]));
        chart.AddBand(new ChartBand(0.5, 1.5, "fault: f1"));

        var svg = chart.Render("caption");

        Assert.Contains("aria-labelledby=\"c1-title c1-desc\"", svg);
        Assert.Contains("<title id=\"c1-title\">Title &lt;&amp;&gt;</title>", svg);
        Assert.Equal(2, svg.Split("<path class=\"series\"").Length - 1);
        Assert.Contains("stroke-dasharray=\"7 4\"", svg);
        Assert.Contains(">fault: f1</text>", svg);
        Assert.Contains("fill=\"url(#c1-hatch)\"", svg);
        Assert.Contains(">first</text>", svg);
        Assert.Contains(">second</text>", svg);
    }

    [Fact]
    public void Spectrum_Histogram_RisesToTheMaximum()
    {
        var histogram = TestData.Histogram(new Random(1), 10, 8, 10_000);

        var points = PercentileSpectrum.FromHistogram(histogram);

        Assert.Equal(0, points[0].X);
        Assert.Equal(4, points[^1].X, 6);
        Assert.Equal(histogram.Max / 1e3, points[^1].Y);
        Assert.Equal(histogram.GetValueAtPercentile(90) / 1e3, points[25].Y);
        for (var i = 1; i < points.Count; i++)
        {
            Assert.True(points[i].Y >= points[i - 1].Y);
        }
    }
}
