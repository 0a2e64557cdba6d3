using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus.Tests;

public class SinkSettingsTests
{
    [Theory]
    [InlineData("5s", 5000)]
    [InlineData("250ms", 250)]
    [InlineData("1m", 60000)]
    [InlineData("2", 2000)]
    public void GetDuration_ValidText_Parses(string text, int expectedMs)
    {
        var settings = new SinkSettings("prometheus-rw", new Dictionary<string, string> { ["interval"] = text });

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), settings.GetDuration("interval", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("interval", "soon", "outputs.prometheus-rw.interval: expected a duration between 100ms and 600s such as 5s, 500ms or 1m, got 'soon'.")]
    [InlineData("interval", "50ms", "outputs.prometheus-rw.interval: expected a duration between 100ms and 600s such as 5s, 500ms or 1m, got '50ms'.")]
    [InlineData("buffer", "0", "outputs.prometheus-rw.buffer: expected a whole number between 1 and 100000, got '0'.")]
    [InlineData("retries", "many", "outputs.prometheus-rw.retries: expected a whole number between 0 and 20, got 'many'.")]
    public void CreateRemoteWrite_InvalidSetting_ThrowsWithFieldAndExpectation(string key, string value, string message)
    {
        var context = new SinkCreationContext
        {
            Argument = "http://127.0.0.1:9090/api/v1/write",
            Configuration = new Dictionary<string, string> { [key] = value },
        };

        var ex = Assert.Throws<SinkConfigurationException>(() => PrometheusSinks.CreateRemoteWrite(context));

        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData(null, "--out prometheus-rw: a URL is required, e.g. --out prometheus-rw=http://127.0.0.1:9090/api/v1/write.")]
    [InlineData("ftp://x/y", "--out prometheus-rw=...: expected an http:// or https:// URL such as http://127.0.0.1:9090/api/v1/write.")]
    public void CreateRemoteWrite_BadUrl_ThrowsWithExample(string? argument, string message)
    {
        var ex = Assert.Throws<SinkConfigurationException>(() => PrometheusSinks.CreateRemoteWrite(new SinkCreationContext { Argument = argument }));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Factories_ListEveryPrometheusSinkByName()
    {
        Assert.Equal(["prometheus", "prometheus-rw", "pushgateway"], PrometheusSinks.Factories.Keys.Order(StringComparer.Ordinal));
    }
}
