using System.Text;

namespace LoadLab.Http.Tests;

public sealed class HttpRequestBuilderTests
{
    [Theory]
    [InlineData("/v1/items")]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/file")]
    public void CreateRequest_NotAbsoluteHttpUrl_Throws(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => Http.CreateRequest("GET", url));

        Assert.Contains(url, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRequest_LowerCaseMethod_IsNormalised()
    {
        var request = Http.CreateRequest("post", "http://127.0.0.1:1/x");

        Assert.Equal(HttpMethod.Post, request.Method);
    }

    [Theory]
    [InlineData("Bad Header")]
    [InlineData("Bad:Header")]
    public void WithHeader_InvalidName_Throws(string name)
    {
        var request = Http.CreateRequest("GET", "http://127.0.0.1:1/x");

        var e = Assert.Throws<ArgumentException>(() => request.WithHeader(name, "v"));

        Assert.StartsWith($"'{name}' is not a valid HTTP header name.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithJsonBody_WebDefaults_SerializesCamelCaseAsJson()
    {
        var request = Http.CreateRequest("POST", "http://127.0.0.1:1/x").WithJsonBody(new { CardToken = "tok_visa", Amount = 1.5 });

        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"cardToken\":\"tok_visa\",\"amount\":1.5}", Encoding.UTF8.GetString(request.Body.Span));
    }

    [Fact]
    public void WithHeader_ContentType_GoesWithTheBody()
    {
        var request = Http.CreateRequest("POST", "http://127.0.0.1:1/x").WithBody("a=1").WithHeader("Content-Type", "application/x-www-form-urlencoded");

        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Empty(request.Headers);
    }

    [Fact]
    public void WireBytes_AfterAddingAHeader_IsRecomputed()
    {
        var request = Http.CreateRequest("GET", "http://127.0.0.1:8080/a?b=c");
        var before = request.WireBytes;

        request.WithHeader("X-A", "1");

        // "GET /a?b=c HTTP/1.1\r\n" + "Host: 127.0.0.1:8080\r\n" + "\r\n", then "X-A: 1\r\n".
        Assert.Equal(21 + 22 + 2, before);
        Assert.Equal(before + 8, request.WireBytes);
    }

    [Fact]
    public void WithTimeout_NotPositive_Throws()
    {
        var request = Http.CreateRequest("GET", "http://127.0.0.1:1/x");

        Assert.Throws<ArgumentOutOfRangeException>(() => request.WithTimeout(TimeSpan.Zero));
    }
}
