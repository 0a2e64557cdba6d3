using LoadLab.TestUtils.Servers;

namespace LoadLab.Sinks.Prometheus.Tests;

public class ServerProcessTests
{
    [Fact]
    public void RequireBinary_Missing_FailsWithTheInstallCommand()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ServerProcess.RequireBinary("/nonexistent/prometheus", "prometheus"));

        Assert.Equal(
            "'/nonexistent/prometheus' was not found; these tests need a real prometheus. Install it with: sudo apt-get install -y prometheus",
            ex.Message);
    }

    [Fact]
    public void BuildConfig_Targets_WritesOneJobEach()
    {
        var yaml = PrometheusServer.BuildConfig([new ScrapeTarget("loadlab", "127.0.0.1:9464"), new ScrapeTarget("pushgateway", "127.0.0.1:9091", HonorLabels: true)], TimeSpan.FromSeconds(1));

        Assert.Contains("  - job_name: 'loadlab'\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:9091']\n", yaml, StringComparison.Ordinal);
        Assert.Contains("scrape_interval: 1s", yaml, StringComparison.Ordinal);
    }
}
