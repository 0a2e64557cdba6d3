using LoadLab.Chaos.Faults;

namespace LoadLab.Chaos.Tests.Faults;

public class FaultMetricsTests
{
    [Fact]
    public void ToPrometheusText_ActiveAndInjected_WritesBothFamilies()
    {
        var metrics = new FaultMetrics();
        metrics.SetActive("items-503", "api", true);
        metrics.RecordInjected("items-503", "api");
        metrics.RecordInjected("items-503", "api");

        Assert.Equal(
            """
            # HELP loadlab_fault_active Whether a fault is active (1) or not (0).
            # TYPE loadlab_fault_active gauge
            loadlab_fault_active{fault="items-503",target="api"} 1
            # HELP loadlab_faults_injected_total Faults injected.
            # TYPE loadlab_faults_injected_total counter
            loadlab_faults_injected_total{fault="items-503",target="api"} 2

            """.ReplaceLineEndings("\n"),
            metrics.ToPrometheusText());
    }

    [Fact]
    public void SetAllActive_FaultRemoved_StaysAsZero()
    {
        var metrics = new FaultMetrics();
        metrics.SetAllActive("api", [("a", true), ("b", true)]);

        metrics.SetAllActive("api", [("b", true)]);

        Assert.False(metrics.IsActive("a", "api"));
        Assert.True(metrics.IsActive("b", "api"));
        Assert.Contains("loadlab_fault_active{fault=\"a\",target=\"api\"} 0", metrics.ToPrometheusText(), StringComparison.Ordinal);
    }
}
