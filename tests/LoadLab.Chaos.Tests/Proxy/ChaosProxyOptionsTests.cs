using LoadLab.Chaos.Faults;
using LoadLab.Chaos.GameDays;
using LoadLab.Chaos.Proxy;

namespace LoadLab.Chaos.Tests.Proxy;

public class ChaosProxyOptionsTests
{
    [Fact]
    public void Ctor_EnsureDefaults()
    {
        var options = new ChaosProxyOptions();

        Assert.Equal("", options.Target);
        Assert.Equal("127.0.0.1:0", options.Listen);
        Assert.Null(options.AdminListen);
        Assert.Null(options.AdminToken);
        Assert.False(options.AllowRemote);
        Assert.Null(options.Name);
        Assert.Empty(options.Faults);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.Metrics);
    }

    [Fact]
    public void FaultPipelineOptions_Ctor_EnsureDefaults()
    {
        var options = new FaultPipelineOptions();

        Assert.Equal("client", options.Target);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.Metrics);
        Assert.Null(options.OnInjected);
        Assert.InRange(options.Randomizer(), 0, 1);
    }

    [Fact]
    public void GameDaySpec_Ctor_EnsureDefaults()
    {
        var spec = new GameDaySpec();

        Assert.Equal(TimeSpan.FromSeconds(10), spec.SteadyFor);
        Assert.Equal(TimeSpan.FromSeconds(2), spec.ProbeInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), spec.Recovery);
        Assert.Null(spec.Prometheus);
        Assert.Equal(TimeSpan.Zero, spec.MethodLength);
    }

    [Theory]
    [InlineData("127.0.0.1:9999", "127.0.0.1:10000")]
    [InlineData("[::1]:9999", "[::1]:10000")]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    public void Validate_NoAdminListen_UsesTheListenPortPlusOneOnLoopback(string listen, string admin)
    {
        var options = new ChaosProxyOptions { Target = "http://127.0.0.1:5081", Listen = listen };

        Assert.Empty(options.Validate(out _, out _, out var adminEndPoint));
        Assert.Equal(admin, adminEndPoint!.ToString());
    }

    [Theory]
    [InlineData("0.0.0.0:8082", "--admin-listen: expected a loopback address, the admin API is never exposed, got '0.0.0.0:8082'")]
    public void Validate_RemoteAdmin_IsRefusedEvenWithAllowRemote(string adminListen, string expected)
    {
        var options = new ChaosProxyOptions { Target = "http://127.0.0.1:5081", Listen = "0.0.0.0:8081", AllowRemote = true, AdminListen = adminListen };

        Assert.Equal([expected], options.Validate(out _, out _, out _));
    }

    [Fact]
    public void Validate_ShortTokenAndBadFault_ReportsBoth()
    {
        var options = new ChaosProxyOptions { Target = "http://127.0.0.1:5081", AdminToken = "short", Faults = [new FaultSpec { Name = "x", Rate = 7, Abort = true }] };

        Assert.Equal(
            ["--admin-token: expected at least 16 characters", "--faults: faults[0].rate: expected a number between 0 and 1, got 7"],
            options.Validate(out _, out _, out _));
    }
}
