namespace LoadLab.Http.Tests;

public sealed class HttpCheckTests
{
    [Fact]
    public void Status_OneOrMoreCodes_NamedAfterThem()
    {
        Assert.Equal("status is 201", HttpCheck.Status(201).Name);
        Assert.Equal("status in (200, 204)", HttpCheck.Status(200, 204).Name);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 99 })]
    [InlineData(new[] { 200, 600 })]
    public void Status_BadCodes_Throws(int[] codes)
    {
        var e = Assert.Throws<ArgumentException>(() => HttpCheck.Status(codes));

        Assert.StartsWith("A status check needs one or more status codes between 100 and 599.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_StatusCheck_StaysAStatusCheck()
    {
        var check = HttpCheck.Status(401).Named("wrong password rejected");

        Assert.Equal("wrong password rejected", check.Name);
        Assert.True(check.IsStatusCheck);
        Assert.False(check.NeedsBody);
    }

    [Fact]
    public void BodyChecks_NeedTheBody()
    {
        Assert.True(HttpCheck.JsonField("a").NeedsBody);
        Assert.True(HttpCheck.BodyContains("x").NeedsBody);
        Assert.False(HttpCheck.Header("X").NeedsBody);
        Assert.False(HttpCheck.Create("custom", _ => true, needsBody: false).NeedsBody);
    }

    [Fact]
    public void WithCheck_BodyCheck_MakesTheRequestKeepTheBody()
    {
        var request = Http.CreateRequest("GET", "http://127.0.0.1:1/").WithCheck(HttpCheck.Header("X"));
        Assert.False(request.NeedsResponseBody);

        request.WithCheck(HttpCheck.JsonField("id"));

        Assert.True(request.NeedsResponseBody);
        Assert.False(request.KeepsResponseBody);
    }
}
