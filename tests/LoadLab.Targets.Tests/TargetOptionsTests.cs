namespace LoadLab.Targets.Tests;

public class TargetOptionsTests
{
    [Fact]
    public void Ctor_EnsureDefaults()
    {
        var options = new TargetOptions();

        Assert.Equal(0, options.ApiPort);
        Assert.Equal(0, options.PaymentsPort);
        Assert.Equal("127.0.0.1", options.BindAddress);
        Assert.False(options.AllowRemote);
        Assert.Equal("dev", options.Release);
        Assert.Equal("local", options.Environment);
        Assert.Empty(options.Regressions);
        Assert.Null(options.DataDirectory);
        Assert.Null(options.AdminToken);
        Assert.Null(options.Seed);
        Assert.Equal(500, options.CatalogSize);
        Assert.Equal(1, options.LatencyScale);
        Assert.Empty(options.EndpointLatencies);
        Assert.Equal(TimeSpan.FromMilliseconds(40), options.CardProcessorMedian);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CardProcessorP99);
        Assert.Equal(TimeSpan.FromSeconds(2), options.CardProcessorTimeout);
        Assert.Equal(1, options.CardProcessorRetries);
        Assert.Null(options.OtlpEndpoint);
        Assert.Null(options.LogOutput);
        Assert.True(options.LogRequests);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        options.Validate();
    }

    public static TheoryData<Action<TargetOptions>, string> InvalidOptions => new()
    {
        { o => o.ApiPort = 70000, "ApiPort must be between 0 and 65535 (was 70000)." },
        { o => o.PaymentsPort = -1, "PaymentsPort must be between 0 and 65535 (was -1)." },
        { o => { o.ApiPort = 5080; o.PaymentsPort = 5080; }, "ApiPort and PaymentsPort must differ (both are 5080)." },
        { o => o.BindAddress = "localhost", "BindAddress 'localhost' must be an IP address such as 127.0.0.1." },
        { o => o.BindAddress = "0.0.0.0", "BindAddress '0.0.0.0' is not a loopback address; set AllowRemote (--allow-remote) to listen on it." },
        { o => o.Release = " ", "Release must not be empty." },
        { o => o.Environment = "", "Environment must not be empty." },
        { o => o.CatalogSize = 0, "CatalogSize must be between 1 and 100000 (was 0)." },
        { o => o.LatencyScale = -1, "LatencyScale must be between 0 and 100 (was -1)." },
        { o => o.EndpointLatencies["/v1/items"] = TimeSpan.FromSeconds(11), "EndpointLatencies[/v1/items] must be between 0 ms and 10000 ms (was 11000 ms)." },
        { o => o.CardProcessorP99 = TimeSpan.FromMilliseconds(10), "CardProcessorP99 (10 ms) must not be below CardProcessorMedian (40 ms)." },
        { o => o.CardProcessorTimeout = TimeSpan.Zero, "CardProcessorTimeout must be between 10 ms and 60000 ms (was 0 ms)." },
        { o => o.CardProcessorRetries = 6, "CardProcessorRetries must be between 0 and 5 (was 6)." },
        { o => o.OtlpEndpoint = new Uri("ftp://collector:4318"), "OtlpEndpoint 'ftp://collector:4318/' must be an absolute http or https URL." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidValue_ThrowsArgumentExceptionWithFullText(Action<TargetOptions> change, string error)
    {
        var options = new TargetOptions();
        change(options);

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal("The target options are invalid:" + Environment.NewLine + "  - " + error, ex.Message);
    }

    [Fact]
    public void Validate_NonLoopbackWithAllowRemote_Passes()
    {
        var options = new TargetOptions { BindAddress = "0.0.0.0", AllowRemote = true };

        options.Validate();
    }

    [Fact]
    public void Validate_BadRegressionSpec_ThrowsFormatExceptionNamingTheSpec()
    {
        var options = new TargetOptions();
        options.Regressions.Add("latency:/v1/items:20");

        var ex = Assert.Throws<FormatException>(options.Validate);

        Assert.StartsWith("Invalid regression spec 'latency:/v1/items:20':", ex.Message);
    }
}
