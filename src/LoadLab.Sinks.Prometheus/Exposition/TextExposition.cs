using System.Globalization;
using System.Text;
using LoadLab.Metrics;

namespace LoadLab.Sinks.Prometheus.Exposition;

/// <summary>The exposition formats the sinks write.</summary>
internal enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4 (Pushgateway; scrapers that do not ask for OpenMetrics).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0 text, with exemplars on histogram buckets.</summary>
    OpenMetrics,
}

/// <summary>Looks up the exemplar to show on a histogram bucket.</summary>
/// <param name="name">The histogram name.</param>
/// <param name="labels">The series labels.</param>
/// <param name="bucket">The bucket index (<see cref="HistogramBuckets.Count"/> for +Inf).</param>
/// <returns>The exemplar, or null.</returns>
internal delegate Exemplar? ExemplarLookup(string name, LabelSet labels, int bucket);

/// <summary>Writes snapshots in the Prometheus and OpenMetrics text formats.</summary>
internal static class TextExposition
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>Writes every sample; samples of one name are grouped under one TYPE line.</summary>
    /// <param name="output">The text.</param>
    /// <param name="samples">The snapshot.</param>
    /// <param name="format">The format.</param>
    /// <param name="exemplars">Exemplars for buckets (OpenMetrics only).</param>
    /// <param name="extraLabels">Labels to drop from samples (e.g. grouping labels the Pushgateway adds).</param>
    public static void Write(StringBuilder output, IReadOnlyList<MetricSample> samples, ExpositionFormat format, ExemplarLookup? exemplars = null, IReadOnlyCollection<string>? extraLabels = null)
    {
        Span<long> cumulative = stackalloc long[HistogramBuckets.Count];
        foreach (var family in samples.GroupBy(s => s.Name, StringComparer.Ordinal))
        {
            var first = family.First();
            var familyName = first.Name;
            if (format == ExpositionFormat.OpenMetrics && first.Kind == MetricKind.Counter && familyName.EndsWith("_total", StringComparison.Ordinal))
            {
                familyName = familyName[..^"_total".Length];
            }

            output.Append("# HELP ").Append(familyName).Append(' ').Append(MetricHelp.For(first.Name)).Append('\n');
            output.Append("# TYPE ").Append(familyName).Append(' ').Append(TypeName(first.Kind)).Append('\n');
            foreach (var sample in family)
            {
                var labels = extraLabels is { Count: > 0 } ? sample.Labels.Without([.. extraLabels]) : sample.Labels;
                if (sample.Kind != MetricKind.Histogram || sample.Histogram is null)
                {
                    WriteLine(output, sample.Name, labels, null, sample.Value);
                    continue;
                }

                var histogram = sample.Histogram;
                HistogramBuckets.Cumulative(histogram, cumulative);
                for (var i = 0; i <= HistogramBuckets.Count; i++)
                {
                    var le = i < HistogramBuckets.Count ? HistogramBuckets.UpperBoundLabels[i] : "+Inf";
                    var count = i < HistogramBuckets.Count ? cumulative[i] : histogram.TotalCount;
                    WriteLine(output, sample.Name + "_bucket", labels, le, count, newline: false);
                    if (format == ExpositionFormat.OpenMetrics && exemplars?.Invoke(sample.Name, sample.Labels, i) is { } exemplar)
                    {
                        output.Append(" # {trace_id=\"").Append(exemplar.TraceId).Append("\",span_id=\"").Append(exemplar.SpanId).Append("\"} ")
                            .Append(FormatValue(exemplar.ValueSeconds)).Append(' ')
                            .Append((exemplar.Timestamp.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture));
                    }

                    output.Append('\n');
                }

                WriteLine(output, sample.Name + "_sum", labels, null, histogram.Sum / 1e6);
                WriteLine(output, sample.Name + "_count", labels, null, histogram.TotalCount);
            }
        }

        if (format == ExpositionFormat.OpenMetrics)
        {
            output.Append("# EOF\n");
        }
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    public static void AppendEscaped(StringBuilder output, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': output.Append("\\\\"); break;
                case '"': output.Append("\\\""); break;
                case '\n': output.Append("\\n"); break;
                default: output.Append(c); break;
            }
        }
    }

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };

    private static void WriteLine(StringBuilder output, string name, LabelSet labels, string? le, double value, bool newline = true)
    {
        output.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            output.Append('{');
            var first = true;
            foreach (var pair in labels.Pairs)
            {
                if (!first)
                {
                    output.Append(',');
                }

                first = false;
                output.Append(pair.Key).Append("=\"");
                AppendEscaped(output, pair.Value);
                output.Append('"');
            }

            if (le is not null)
            {
                output.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            }

            output.Append('}');
        }

        output.Append(' ').Append(FormatValue(value));
        if (newline)
        {
            output.Append('\n');
        }
    }
}
