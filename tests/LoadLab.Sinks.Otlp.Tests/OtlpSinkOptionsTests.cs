using LoadLab.Telemetry;

namespace LoadLab.Sinks.Otlp.Tests;

public class OtlpSinkOptionsTests
{
    private static OtlpSinkOptions Resolve(string? argument = null, Dictionary<string, string>? config = null, Dictionary<string, string>? env = null) =>
        OtlpSinkOptions.From(new SinkCreationContext
        {
            Argument = argument,
            Configuration = config ?? [],
            Environment = env ?? [],
        });

    [Fact]
    public void From_Nothing_UsesDefaults()
    {
        var options = Resolve();

        Assert.Equal(new Uri("http://localhost:4318/v1/traces"), options.TracesEndpoint);
        Assert.Equal(0.01, options.SampleFraction);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Export.SlowThreshold);
        Assert.Equal(10_000, options.TimeoutMilliseconds);
        Assert.Null(options.Headers);
    }

    [Fact]
    public void From_ArgumentBaseUrl_AppendsTracesPathAndWinsOverEnvironment()
    {
        var options = Resolve("http://127.0.0.1:4318", env: new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318" });

        Assert.Equal(new Uri("http://127.0.0.1:4318/v1/traces"), options.TracesEndpoint);
    }

    [Fact]
    public void From_TracesEndpointVariable_IsUsedAsIs()
    {
        var options = Resolve(env: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://tempo:4318/custom/traces",
        });

        Assert.Equal(new Uri("http://tempo:4318/custom/traces"), options.TracesEndpoint);
    }

    [Fact]
    public void From_EndpointVariable_AppendsSignalPath()
    {
        var options = Resolve(env: new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318/" });

        Assert.Equal(new Uri("http://collector:4318/v1/traces"), options.TracesEndpoint);
    }

    [Fact]
    public void From_HeadersAndTimeoutVariables_AreHonoured()
    {
        var options = Resolve(env: new()
        {
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-scope-orgid=loadlab",
            ["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] = "authorization=Bearer abc",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2500",
        });

        Assert.Equal("authorization=Bearer abc", options.Headers);
        Assert.Equal(2500, options.TimeoutMilliseconds);
    }

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("0.2", 0.2)]
    [InlineData("1", 1.0)]
    public void From_SampleSetting_Parses(string text, double expected)
    {
        Assert.Equal(expected, Resolve(config: new() { ["sample"] = text }).SampleFraction, 10);
    }

    [Theory]
    [InlineData("sample", "2", "outputs.otlp.sample: expected a fraction between 0 and 1 (e.g. 0.01) or a percentage (e.g. 1%), got '2'.")]
    [InlineData("sample", "lots", "outputs.otlp.sample: expected a fraction between 0 and 1 (e.g. 0.01) or a percentage (e.g. 1%), got 'lots'.")]
    [InlineData("slow", "fast", "outputs.otlp.slow: expected a duration such as 2s or 500ms, or off, got 'fast'.")]
    public void From_InvalidSetting_ThrowsWithFieldAndExpectation(string key, string value, string message)
    {
        var ex = Assert.Throws<SinkConfigurationException>(() => Resolve(config: new() { [key] = value }));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void From_SlowOff_DisablesSlowExport()
    {
        Assert.Null(Resolve(config: new() { ["slow"] = "off" }).Export.SlowThreshold);
    }

    [Fact]
    public void From_MalformedHeaders_ThrowsWithoutEchoingTheValue()
    {
        var ex = Assert.Throws<SinkConfigurationException>(() => Resolve(env: new() { ["OTEL_EXPORTER_OTLP_HEADERS"] = "secret-token-value" }));

        Assert.Equal("OTEL_EXPORTER_OTLP_HEADERS: expected comma-separated key=value pairs (W3C baggage format); an entry has no key or '='.", ex.Message);
        Assert.DoesNotContain("secret-token-value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_BadUrl_ThrowsNamingTheSource()
    {
        var ex = Assert.Throws<SinkConfigurationException>(() => Resolve(env: new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4318" }));

        Assert.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL", ex.Message, StringComparison.Ordinal);
    }
}
