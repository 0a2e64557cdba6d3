using LoadLab.Targets.Regression;

namespace LoadLab.Targets.Tests.Regression;

public class RegressionSpecTests
{
    private const string Expected = "expected 'latency:/path:+N%', 'latency:/path:+Nms', 'errors:/path:N%' or 'errors:/path:N%:STATUS' (STATUS 500..599).";

    [Fact]
    public void Parse_LatencyPercent_ReadsRouteAndShare()
    {
        var spec = RegressionSpec.Parse("latency:/v1/items:+20%");

        Assert.Equal(RegressionKind.Latency, spec.Kind);
        Assert.Equal("/v1/items", spec.PathPrefix);
        Assert.Equal(0.2, spec.RelativeLatency, 10);
        Assert.Equal(TimeSpan.Zero, spec.AbsoluteLatency);
    }

    [Fact]
    public void Parse_LatencyMilliseconds_ReadsFixedDelay()
    {
        var spec = RegressionSpec.Parse("latency:/v1/items/:+50ms");

        Assert.Equal("/v1/items", spec.PathPrefix);
        Assert.Equal(TimeSpan.FromMilliseconds(50), spec.AbsoluteLatency);
        Assert.Equal(0, spec.RelativeLatency);
    }

    [Fact]
    public void Parse_Errors_ReadsRateAndOptionalStatus()
    {
        var any = RegressionSpec.Parse("errors:/v1/payments:2%");
        var only503 = RegressionSpec.Parse("errors:/v1/payments:2.5%:503");

        Assert.Equal(RegressionKind.Errors, any.Kind);
        Assert.Equal(0.02, any.ErrorRate, 10);
        Assert.Null(any.StatusCode);
        Assert.Equal(0.025, only503.ErrorRate, 10);
        Assert.Equal(503, only503.StatusCode);
    }

    [Theory]
    [InlineData("latency:/v1/items", "it has fewer than three ':'-separated parts")]
    [InlineData("slow:/v1/items:+20%", "the kind 'slow' must be 'latency' or 'errors'")]
    [InlineData("latency:v1/items:+20%", "the path 'v1/items' must start with '/' and contain no spaces")]
    [InlineData("latency:/v1/items:20%", "the amount '20%' must start with '+'")]
    [InlineData("latency:/v1/items:+abc%", "the amount '+abc%' must be '+N%' with 0 < N <= 1000 or '+Nms' with 0 < N <= 60000")]
    [InlineData("latency:/v1/items:+0%", "the amount '+0%' must be '+N%' with 0 < N <= 1000 or '+Nms' with 0 < N <= 60000")]
    [InlineData("latency:/v1/items:+20%:x", "a latency spec has exactly three parts")]
    [InlineData("errors:/v1/payments:2", "the rate '2' must be 'N%' with 0 < N <= 100")]
    [InlineData("errors:/v1/payments:150%", "the rate '150%' must be 'N%' with 0 < N <= 100")]
    [InlineData("errors:/v1/payments:2%:404", "the status '404' must be a number from 500 to 599")]
    public void Parse_Invalid_ThrowsFormatExceptionNamingSpecAndExpectation(string text, string problem)
    {
        var ex = Assert.Throws<FormatException>(() => RegressionSpec.Parse(text));

        Assert.Equal($"Invalid regression spec '{text}': {problem}; {Expected}", ex.Message);
    }

    [Theory]
    [InlineData("/v1/items", true)]
    [InlineData("/v1/items/42", true)]
    [InlineData("/V1/Items", true)]
    [InlineData("/v1/itemsx", false)]
    [InlineData("/v1/login", false)]
    public void Matches_WholeSegmentPrefix(string path, bool expected) =>
        Assert.Equal(expected, RegressionSpec.Parse("latency:/v1/items:+20%").Matches(path));

    [Fact]
    public void ExtraLatency_Percent_IsShareOfElapsed() =>
        Assert.Equal(TimeSpan.FromMilliseconds(20), RegressionSpec.Parse("latency:/v1/items:+20%").ExtraLatency(TimeSpan.FromMilliseconds(100)));

    [Fact]
    public void ExtraLatency_ErrorsSpec_IsZero() =>
        Assert.Equal(TimeSpan.Zero, RegressionSpec.Parse("errors:/v1/items:20%").ExtraLatency(TimeSpan.FromMilliseconds(100)));
}
