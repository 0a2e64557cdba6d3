using System.Text;
using LoadLab.Histograms;
using LoadLab.Metrics;
using LoadLab.Sinks.Prometheus.Exposition;

namespace LoadLab.Sinks.Prometheus.Tests.Exposition;

public class TextExpositionTests
{
    private static readonly DateTimeOffset s_time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void Write_OpenMetricsCounter_UsesFamilyNameWithoutTotalAndEndsWithEof()
    {
        var text = new StringBuilder();
        var sample = new MetricSample(MetricNames.Requests, MetricKind.Counter, LabelSet.Of(("step", "pay"), ("status", "ok")), 42, s_time);

        TextExposition.Write(text, [sample], ExpositionFormat.OpenMetrics);

        Assert.Contains("# TYPE loadlab_requests counter\n", text.ToString());
        Assert.Contains("loadlab_requests_total{status=\"ok\",step=\"pay\"} 42\n", text.ToString());
        Assert.EndsWith("# EOF\n", text.ToString());
    }

    [Fact]
    public void Write_PrometheusTextCounter_KeepsTotalInTypeLine()
    {
        var text = new StringBuilder();
        var sample = new MetricSample(MetricNames.Requests, MetricKind.Counter, LabelSet.Of(("status", "ok")), 1, s_time);

        TextExposition.Write(text, [sample], ExpositionFormat.PrometheusText);

        Assert.Contains("# TYPE loadlab_requests_total counter\n", text.ToString());
        Assert.DoesNotContain("# EOF", text.ToString());
    }

    [Fact]
    public void Write_HistogramWithExemplar_PutsExemplarOnTheBucketOfItsValue()
    {
        var builder = new HistogramSnapshotBuilder();
        builder.Record(2_000, 4);
        var exemplar = new Exemplar(0.002, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", s_time);
        var sample = new MetricSample(MetricNames.ResponseTime, LabelSet.Of(("step", "pay")), builder.Build(), [exemplar], s_time);
        var text = new StringBuilder();

        TextExposition.Write(text, [sample], ExpositionFormat.OpenMetrics, (_, _, bucket) => bucket == HistogramBuckets.IndexOf(0.002) ? exemplar : null);

        var lines = text.ToString().Split('\n');
        Assert.Contains("loadlab_response_time_seconds_bucket{step=\"pay\",le=\"0.002\"} 4 # {trace_id=\"0af7651916cd43dd8448eb211c80319c\",span_id=\"b7ad6b7169203331\"} 0.002 1700000000.000", lines);
        Assert.Contains("loadlab_response_time_seconds_bucket{step=\"pay\",le=\"0.001\"} 0", lines);
        Assert.Contains("loadlab_response_time_seconds_bucket{step=\"pay\",le=\"+Inf\"} 4", lines);
        Assert.Contains("loadlab_response_time_seconds_count{step=\"pay\"} 4", lines);
        Assert.Single(lines, l => l.Contains("trace_id", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_LabelValueWithQuoteAndBackslash_IsEscaped()
    {
        var text = new StringBuilder();
        var sample = new MetricSample(MetricNames.ThresholdPassed, MetricKind.Gauge, LabelSet.Of(("threshold", "p95 < \"1s\" \\ n")), 1, s_time);

        TextExposition.Write(text, [sample], ExpositionFormat.PrometheusText);

        Assert.Contains("loadlab_threshold_passed{threshold=\"p95 < \\\"1s\\\" \\\\ n\"} 1\n", text.ToString());
    }
}
