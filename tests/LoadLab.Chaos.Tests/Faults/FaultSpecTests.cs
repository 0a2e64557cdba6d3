using LoadLab.Chaos.Faults;

namespace LoadLab.Chaos.Tests.Faults;

public class FaultSpecTests
{
    [Fact]
    public void Ctor_EnsureDefaults()
    {
        var spec = new FaultSpec();

        Assert.Equal("", spec.Name);
        Assert.True(double.IsNaN(spec.Rate));
        Assert.Null(spec.Match);
        Assert.Null(spec.Window);
        Assert.Null(spec.Latency);
        Assert.Null(spec.Status);
        Assert.False(spec.Abort);
        Assert.Null(spec.Hang);
        Assert.Null(spec.Outcome);
    }

    public static TheoryData<FaultSpec, string> InvalidSpecs => new()
    {
        { new FaultSpec { Name = "x", Rate = 2, Abort = true }, "faults[0].rate: expected a number between 0 and 1, got 2" },
        { new FaultSpec { Name = "x", Abort = true }, "faults[0].rate: expected a rate between 0 and 1 (the share of matching requests)" },
        { new FaultSpec { Name = "", Rate = 0.5, Abort = true }, "faults[0].name: expected a fault name" },
        { new FaultSpec { Name = "x", Rate = 0.5 }, "faults[0].kind: expected one fault kind: latency, status, abort, hang, outcome" },
        { new FaultSpec { Name = "x", Rate = 0.5, Hang = TimeSpan.Zero }, "faults[0].hang: expected a duration between 1ms and 1h, got 0ms" },
        { new FaultSpec { Name = "x", Rate = 0.5, Latency = LatencyDistribution.Fixed(TimeSpan.FromHours(2)) }, "faults[0].latency: expected a latency between 1ms and 1h, got 2h" },
        { new FaultSpec { Name = "x", Rate = 0.5, Outcome = new StatusResponse { Code = 42 } }, "faults[0].outcome.code: expected a status code between 100 and 599, got 42" },
        { new FaultSpec { Name = "x", Rate = 0.5, Abort = true, Window = new FaultTimeWindow { For = TimeSpan.Zero } }, "faults[0].window.for: expected a positive duration, got 0ms" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void ValidateAll_InvalidSpec_ReportsTheFullError(FaultSpec spec, string expected)
    {
        var errors = FaultSpec.ValidateAll([spec]);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void ValidateAll_DuplicateNames_ReportsTheSecond()
    {
        var spec = new FaultSpec { Name = "x", Rate = 0.5, Abort = true };

        Assert.Equal(["faults[1].name: expected a unique name, 'x' is used twice"], FaultSpec.ValidateAll([spec, spec]));
    }

    [Theory]
    [InlineData("/v1/items/42", "GET", true)]
    [InlineData("/v1/items", "get", true)]
    [InlineData("/v1/item", "GET", false)]
    [InlineData("/v1/items", "POST", false)]
    public void Matches_PathPrefixAndMethod(string path, string method, bool expected)
    {
        var match = new FaultMatch { Path = "/v1/items", Method = "GET" };

        Assert.Equal(expected, match.Matches(path, method));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(10, true)]
    [InlineData(69.999, true)]
    [InlineData(70, false)]
    public void WindowContains_AfterAndFor(double seconds, bool expected)
    {
        var window = new FaultTimeWindow { After = TimeSpan.FromSeconds(10), For = TimeSpan.FromMinutes(1) };

        Assert.Equal(expected, window.Contains(TimeSpan.FromSeconds(seconds)));
    }
}
