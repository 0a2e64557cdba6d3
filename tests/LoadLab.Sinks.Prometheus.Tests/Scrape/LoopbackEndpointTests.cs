using System.Net;
using LoadLab.Sinks.Prometheus.Scrape;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus.Tests.Scrape;

public class LoopbackEndpointTests
{
    [Theory]
    [InlineData(null, "127.0.0.1:9464")]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    [InlineData("localhost:9000", "127.0.0.1:9000")]
    [InlineData("[::1]:9000", "[::1]:9000")]
    public void Parse_LoopbackAddress_Accepts(string? argument, string expected)
    {
        Assert.Equal(expected, LoopbackEndpoint.Parse(argument, allowRemote: false).ToString());
    }

    [Fact]
    public void Parse_NonLoopbackWithoutAllowRemote_ThrowsNamingTheSetting()
    {
        var ex = Assert.Throws<SinkConfigurationException>(() => LoopbackEndpoint.Parse("0.0.0.0:9464", allowRemote: false));

        Assert.Equal(
            "--out prometheus=0.0.0.0:9464: '0.0.0.0' is not a loopback address. The scrape endpoint listens on 127.0.0.1 or ::1 unless the profile's outputs entry sets allow_remote: true.",
            ex.Message);
    }

    [Fact]
    public void Parse_NonLoopbackWithAllowRemote_Accepts()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9464), LoopbackEndpoint.Parse("0.0.0.0:9464", allowRemote: true));
    }

    [Theory]
    [InlineData("9464")]
    [InlineData("127.0.0.1:http")]
    [InlineData("127.0.0.1:70000")]
    public void Parse_Malformed_ThrowsWithExample(string argument)
    {
        var ex = Assert.Throws<SinkConfigurationException>(() => LoopbackEndpoint.Parse(argument, allowRemote: false));

        Assert.Equal($"--out prometheus={argument}: expected host:port such as 127.0.0.1:9464 (port 0 picks a free one).", ex.Message);
    }
}
