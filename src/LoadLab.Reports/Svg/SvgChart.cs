using System.Text;
using LoadLab.Reports.Formatting;

namespace LoadLab.Reports.Svg;

/// <summary>How the x axis maps values.</summary>
internal enum ChartAxis
{
    /// <summary>Linear values (seconds into the run).</summary>
    Linear,

    /// <summary>
    /// HdrHistogram's percentile axis: x holds log10(1 / (1 - p)), so 0 is the median's
    /// neighbourhood start (p = 0), 1 is p90, 2 is p99, 3 is p99.9 and so on.
    /// </summary>
    LogPercentile,
}

/// <summary>One line of a chart; <paramref name="Style"/> fixes its colour and dash (defaults to its position).</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, int? Style = null);

/// <summary>A shaded span of the x axis (a fault window).</summary>
internal sealed record ChartBand(double From, double To, string Label);

/// <summary>
/// A hand-written inline SVG line chart: no script, no external fetch, readable in print.
/// Series are told apart by colour (Okabe-Ito, safe for colour-blind readers) and by dash
/// pattern, and the legend names each one in text, so colour is never the only cue.
/// </summary>
internal sealed class SvgChart
{
    /// <summary>Okabe-Ito colours, yellow left out because it is too faint on white.</summary>
    internal static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    /// <summary>Dash patterns paired with the palette.</summary>
    internal static readonly string[] Dashes = ["", "7 4", "2 3", "9 3 2 3", "4 2", "12 4", "1 2"];

    private const double Left = 64;
    private const double Right = 40;
    private const double Top = 30;
    private const double Bottom = 46;

    private readonly List<ChartSeries> _series = [];
    private readonly List<ChartBand> _bands = [];

    public SvgChart(string id, string title, string xLabel, string yLabel)
    {
        Id = id;
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    public string Id { get; }

    public string Title { get; }

    public string XLabel { get; }

    public string YLabel { get; }

    public ChartAxis XAxis { get; init; } = ChartAxis.Linear;

    public int Width { get; init; } = 880;

    public int Height { get; init; } = 280;

    /// <summary>Gets how y values are shown on the axis (defaults to a plain number).</summary>
    public Func<double, string> YFormat { get; init; } = ReportFormat.Number;

    /// <summary>Gets a fixed x range, for charts that share the run's time axis.</summary>
    public (double Min, double Max)? XRange { get; init; }

    public IReadOnlyList<ChartSeries> Series => _series;

    public void Add(ChartSeries series) => _series.Add(series);

    public void AddBand(ChartBand band) => _bands.Add(band);

    /// <summary>Renders the chart as a <c>figure</c> holding the SVG and a text caption.</summary>
    public string Render(string caption)
    {
        var sb = new StringBuilder(16 * 1024);
        var plotW = Width - Left - Right;
        var legendRows = (int)Math.Ceiling(_series.Count / 4.0);
        var height = Height + 6 + (legendRows * 18);
        var plotH = Height - Top - Bottom;

        var points = _series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var (xMin, xMax) = XRange ?? (points.Count == 0 ? (0, 1) : (points.Min(p => p.X), points.Max(p => p.X)));
        if (XAxis == ChartAxis.LogPercentile)
        {
            xMin = 0;
            xMax = Math.Max(3, Math.Ceiling(xMax));
        }

        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        var yMaxRaw = points.Count == 0 ? 1 : points.Max(p => p.Y);
        // 5% headroom so that a line at the maximum does not merge with the frame.
        var yStep = NiceStep(yMaxRaw <= 0 ? 1 : yMaxRaw * 1.05 / 5);
        var yMax = Math.Max(yStep, Math.Ceiling(yMaxRaw * 1.05 / yStep) * yStep);

        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * plotW);
        double Y(double y) => Top + plotH - (Math.Clamp(y / yMax, 0, 1.02) * plotH);

        var titleId = Id + "-title";
        var descId = Id + "-desc";
        sb.Append("<figure class=\"chart\" id=\"").Append(Id).Append("\">");
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
          .Append("\" width=\"").Append(Width).Append("\" height=\"").Append(height)
          .Append("\" aria-labelledby=\"").Append(titleId).Append(' ').Append(descId).Append("\">");
        sb.Append("<title id=\"").Append(titleId).Append("\">").Append(ReportFormat.Html(Title)).Append("</title>");
        sb.Append("<desc id=\"").Append(descId).Append("\">").Append(ReportFormat.Html(caption)).Append("</desc>");
        sb.Append("<defs><pattern id=\"").Append(Id).Append("-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
          .Append("<rect width=\"8\" height=\"8\" fill=\"#f2f2f2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#b0b0b0\" stroke-width=\"3\"/></pattern></defs>");
        sb.Append("<rect x=\"0\" y=\"0\" width=\"").Append(Width).Append("\" height=\"").Append(height).Append("\" fill=\"#fff\"/>");
        sb.Append("<text class=\"ct\" x=\"").Append(Left).Append("\" y=\"18\">").Append(ReportFormat.Html(Title)).Append("</text>");

        // Fault windows first, so that lines draw over them.
        foreach (var band in _bands)
        {
            var x0 = X(Math.Max(band.From, xMin));
            var x1 = X(Math.Min(band.To, xMax));
            if (x1 <= x0)
            {
                continue;
            }

            sb.Append("<g class=\"band\"><rect x=\"").Append(ReportFormat.Coord(x0)).Append("\" y=\"").Append(Top)
              .Append("\" width=\"").Append(ReportFormat.Coord(Math.Max(1, x1 - x0))).Append("\" height=\"").Append(ReportFormat.Coord(plotH))
              .Append("\" fill=\"url(#").Append(Id).Append("-hatch)\" opacity=\"0.8\"/>");
            sb.Append("<text class=\"bl\" x=\"").Append(ReportFormat.Coord(x0 + 3)).Append("\" y=\"").Append(Top + 11).Append("\">")
              .Append(ReportFormat.Html(band.Label)).Append("</text></g>");
        }

        // Grid and y ticks.
        for (var v = 0.0; v <= yMax + (yStep / 2); v += yStep)
        {
            var y = ReportFormat.Coord(Y(v));
            sb.Append("<line class=\"grid\" x1=\"").Append(Left).Append("\" x2=\"").Append(Left + plotW).Append("\" y1=\"").Append(y).Append("\" y2=\"").Append(y).Append("\"/>");
            sb.Append("<text class=\"tk\" text-anchor=\"end\" x=\"").Append(Left - 6).Append("\" y=\"").Append(ReportFormat.Coord(Y(v) + 4)).Append("\">")
              .Append(ReportFormat.Html(YFormat(v))).Append("</text>");
        }

        // X ticks.
        foreach (var (value, label) in XTicks(xMin, xMax))
        {
            var x = ReportFormat.Coord(X(value));
            sb.Append("<line class=\"grid\" x1=\"").Append(x).Append("\" x2=\"").Append(x).Append("\" y1=\"").Append(Top).Append("\" y2=\"").Append(ReportFormat.Coord(Top + plotH)).Append("\"/>");
            sb.Append("<text class=\"tk\" text-anchor=\"middle\" x=\"").Append(x).Append("\" y=\"").Append(ReportFormat.Coord(Top + plotH + 16)).Append("\">")
              .Append(ReportFormat.Html(label)).Append("</text>");
        }

        sb.Append("<line class=\"axis\" x1=\"").Append(Left).Append("\" x2=\"").Append(Left).Append("\" y1=\"").Append(Top).Append("\" y2=\"").Append(ReportFormat.Coord(Top + plotH)).Append("\"/>");
        sb.Append("<line class=\"axis\" x1=\"").Append(Left).Append("\" x2=\"").Append(Left + plotW).Append("\" y1=\"").Append(ReportFormat.Coord(Top + plotH)).Append("\" y2=\"").Append(ReportFormat.Coord(Top + plotH)).Append("\"/>");
        sb.Append("<text class=\"al\" text-anchor=\"middle\" x=\"").Append(ReportFormat.Coord(Left + (plotW / 2))).Append("\" y=\"").Append(ReportFormat.Coord(Top + plotH + 34)).Append("\">")
          .Append(ReportFormat.Html(XLabel)).Append("</text>");
        sb.Append("<text class=\"al\" text-anchor=\"middle\" transform=\"rotate(-90)\" x=\"").Append(ReportFormat.Coord(-(Top + (plotH / 2)))).Append("\" y=\"14\">")
          .Append(ReportFormat.Html(YLabel)).Append("</text>");

        // Lines.
        for (var i = 0; i < _series.Count; i++)
        {
            var s = _series[i];
            var style = s.Style ?? i;
            var finite = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (finite.Count == 0)
            {
                continue;
            }

            sb.Append("<path class=\"series\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke=\"").Append(Palette[style % Palette.Length]).Append('"');
            if (Dashes[style % Dashes.Length].Length > 0)
            {
                sb.Append(" stroke-dasharray=\"").Append(Dashes[style % Dashes.Length]).Append('"');
            }

            sb.Append(" d=\"");
            for (var j = 0; j < finite.Count; j++)
            {
                sb.Append(j == 0 ? 'M' : 'L').Append(ReportFormat.Coord(X(finite[j].X))).Append(',').Append(ReportFormat.Coord(Y(finite[j].Y)));
            }

            if (finite.Count == 1)
            {
                // A single point still shows as a short mark.
                sb.Append("h2");
            }

            sb.Append("\"><title>").Append(ReportFormat.Html(s.Name)).Append("</title></path>");
        }

        // Legend: a sample of each line (colour and dash) with its name in text.
        for (var i = 0; i < _series.Count; i++)
        {
            var lx = Left + (i % 4 * (plotW / 4));
            var ly = Height + 8 + (i / 4 * 18);
            var style = _series[i].Style ?? i;
            sb.Append("<g class=\"lg\"><line x1=\"").Append(ReportFormat.Coord(lx)).Append("\" x2=\"").Append(ReportFormat.Coord(lx + 26))
              .Append("\" y1=\"").Append(ReportFormat.Coord(ly - 4)).Append("\" y2=\"").Append(ReportFormat.Coord(ly - 4))
              .Append("\" stroke-width=\"3\" stroke=\"").Append(Palette[style % Palette.Length]).Append('"');
            if (Dashes[style % Dashes.Length].Length > 0)
            {
                sb.Append(" stroke-dasharray=\"").Append(Dashes[style % Dashes.Length]).Append('"');
            }

            sb.Append("/><text class=\"tk\" x=\"").Append(ReportFormat.Coord(lx + 32)).Append("\" y=\"").Append(ReportFormat.Coord(ly)).Append("\">")
              .Append(ReportFormat.Html(_series[i].Name)).Append("</text></g>");
        }

        sb.Append("</svg><figcaption>").Append(ReportFormat.Html(caption)).Append("</figcaption></figure>\n");
        return sb.ToString();
    }

    /// <summary>Gets a step of 1, 2 or 5 times a power of ten at or above <paramref name="raw"/>.</summary>
    internal static double NiceStep(double raw)
    {
        if (raw <= 0 || !double.IsFinite(raw))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private IEnumerable<(double Value, string Label)> XTicks(double min, double max)
    {
        if (XAxis == ChartAxis.LogPercentile)
        {
            for (var k = 0; k <= (int)max; k++)
            {
                yield return (k, PercentileLabel(k));
            }

            yield break;
        }

        var step = NiceStep((max - min) / 8);
        for (var v = Math.Ceiling(min / step) * step; v <= max + (step / 1000); v += step)
        {
            yield return (v, ReportFormat.Number(v));
        }
    }

    /// <summary>Labels position k of the percentile axis: 0%, 90%, 99%, 99.9%, ...</summary>
    internal static string PercentileLabel(int k) => k switch
    {
        0 => "0%",
        1 => "90%",
        2 => "99%",
        _ => "99." + new string('9', k - 2) + "%",
    };

    /// <summary>Maps a percentile (0..100) to the log axis position log10(1 / (1 - p)).</summary>
    internal static double PercentileToX(double percentile) => -Math.Log10(1 - (Math.Min(percentile, 99.9999999) / 100));
}
