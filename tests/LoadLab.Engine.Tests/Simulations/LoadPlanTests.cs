using LoadLab.Engine.Segments;
using LoadLab.Engine.Simulations;

namespace LoadLab.Engine.Tests.Simulations;

public class LoadPlanTests
{
    private static List<double> Times(LoadPlan plan)
    {
        var times = new List<double>();
        double offset = 0;
        foreach (var phase in plan.Phases)
        {
            if (phase.Curve is not null)
            {
                var c = new ArrivalCursor(phase, plan.Segment);
                while (c.HasNext)
                {
                    times.Add(offset + c.NextTime);
                    c.Advance();
                }
            }

            offset += phase.Simulation.Duration?.TotalSeconds ?? 0;
        }

        return times;
    }

    [Fact]
    public void Inject_ConstantRate_SpacesArrivalsEvenly()
    {
        var plan = LoadPlan.Build([Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))], Segment.Whole, 1);
        var t = Times(plan);
        Assert.Equal(200, t.Count);
        Assert.Equal(0, t[0], 9);
        Assert.Equal(0.01, t[1], 9);
        Assert.Equal(1.99, t[^1], 9);
    }

    [Fact]
    public void RampingInject_FromZero_HasTriangleArea()
    {
        // Ramp 0 -> 100/s over 10 s: 500 arrivals, denser at the end.
        var plan = LoadPlan.Build([Simulation.RampingInject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10))], Segment.Whole, 1);
        var t = Times(plan);
        Assert.Equal(500, t.Count);
        Assert.True(t.Take(250).Last() > 5, "half the arrivals come in the last 30% of the ramp");
        Assert.All(t.Zip(t.Skip(1)), p => Assert.True(p.Second >= p.First));
    }

    [Fact]
    public void Phases_InSequence_JoinWithoutGapOrBurst()
    {
        var plan = LoadPlan.Build(
        [
            Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)),
            Simulation.Pause(TimeSpan.FromSeconds(1)),
            Simulation.IterationsForInject(20, TimeSpan.FromSeconds(1), 5),
        ], Segment.Whole, 1);
        var t = Times(plan);
        Assert.Equal(15, t.Count);
        Assert.Equal(2.0, t[10], 9);
        Assert.Equal(2.05, t[11], 9);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Segments_UnionOfShares_EqualsTheWholeSequence(int n)
    {
        LoadSimulation[] sims =
        [
            Simulation.RampingInject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
            Simulation.Inject(37, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            Simulation.InjectRandom(10, 80, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
        ];
        var whole = Times(LoadPlan.Build(sims, Segment.Whole, 7));
        var union = Enumerable.Range(1, n).SelectMany(i => Times(LoadPlan.Build(sims, new Segment(i, n), 7))).Order().ToList();
        Assert.Equal(whole.Count, union.Count);
        for (var i = 0; i < whole.Count; i++)
        {
            Assert.Equal(whole[i], union[i], 9);
        }
    }

    [Fact]
    public void Segments_ShareInterleave_NoTwoSharesAtTheSameInstant()
    {
        var sims = new[] { Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) };
        var first = Times(LoadPlan.Build(sims, new Segment(1, 2), 1));
        var second = Times(LoadPlan.Build(sims, new Segment(2, 2), 1));
        Assert.Equal(50, first.Count);
        Assert.Equal(50, second.Count);
        Assert.Equal(0.01, second[0] - first[0], 9);
    }

    [Theory]
    [InlineData(10, 3, new[] { 4, 3, 3 })]
    [InlineData(2, 3, new[] { 1, 1, 0 })]
    public void ShareOf_SplitsCountsExactly(int total, int n, int[] expected)
    {
        var shares = Enumerable.Range(1, n).Select(i => new Segment(i, n).ShareOf(total)).ToArray();
        Assert.Equal(expected, shares);
        Assert.Equal(total, shares.Sum());
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("a/b")]
    [InlineData("1")]
    public void TryParse_Invalid_ExplainsTheExpectedForm(string text)
    {
        Assert.False(Segment.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains("I/N", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeRate_NamesTheField()
    {
        var errors = new Inject(-5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).Validate().ToList();
        Assert.Equal(["'rate' must be greater than 0 (got -5)."], errors);
    }
}
