using LoadLab.Metrics;

namespace LoadLab.Abstractions.Tests.Metrics;

public class LabelSetTests
{
    [Fact]
    public void Of_OrdersByNameAndDropsEmptyValues()
    {
        var l = LabelSet.Of(("scenario", "s"), ("release", ""), ("environment", "ci"));
        Assert.Equal(["environment", "scenario"], l.Names.ToArray());
        Assert.Null(l["release"]);
    }

    [Fact]
    public void Equals_SamePairsInAnyOrder_AreEqual()
    {
        Assert.Equal(LabelSet.Of(("a", "1"), ("b", "2")), LabelSet.Of(("b", "2"), ("a", "1")));
        Assert.NotEqual(LabelSet.Of(("a", "1")), LabelSet.Of(("a", "2")));
    }

    [Fact]
    public void With_ReplacesAndAdds()
    {
        var l = LabelSet.Of(("a", "1")).With(("a", "2"), ("b", "3"));
        Assert.Equal("2", l["a"]);
        Assert.Equal("3", l["b"]);
        Assert.Equal("{a=\"2\",b=\"3\"}", l.ToString());
    }
}
