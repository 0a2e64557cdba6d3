using System.ComponentModel.DataAnnotations;
using System.Net;

namespace LoadLab.Http.Tests;

public sealed class HttpClientFactoryTests
{
    [Fact]
    public void Ctor_EnsureDefaults()
    {
        var options = new HttpClientOptions();

        Assert.Equal(1024, options.MaxConnectionsPerServer);
        Assert.Equal(TimeSpan.FromMinutes(10), options.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(90), options.PooledConnectionIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(HttpVersion.Version11, options.HttpVersion);
        Assert.False(options.AutomaticDecompression);
        Assert.False(options.FollowRedirects);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void CreateHandler_Options_AreApplied()
    {
        using var handler = HttpClientFactory.CreateHandler(new HttpClientOptions
        {
            MaxConnectionsPerServer = 50,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            AutomaticDecompression = true,
        });

        Assert.Equal(50, handler.MaxConnectionsPerServer);
        Assert.Equal(TimeSpan.FromMinutes(1), handler.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(2), handler.ConnectTimeout);
        Assert.Equal(DecompressionMethods.All, handler.AutomaticDecompression);
        Assert.False(handler.UseCookies);
        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
        Assert.Null(handler.ActivityHeadersPropagator);
    }

    [Fact]
    public void Create_Http2_SetsDefaultVersionExactly()
    {
        using var client = HttpClientFactory.Create(new HttpClientOptions { HttpVersion = HttpVersion.Version20, RequestTimeout = TimeSpan.FromSeconds(3) });

        Assert.Equal(HttpVersion.Version20, client.DefaultRequestVersion);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, client.DefaultVersionPolicy);
        Assert.Equal(TimeSpan.FromSeconds(3), client.Timeout);
    }

    public static TheoryData<HttpClientOptions, string> InvalidOptions => new()
    {
        { new HttpClientOptions { MaxConnectionsPerServer = 0 }, "'MaxConnectionsPerServer' must be between 1 and 100000 (got 0)." },
        { new HttpClientOptions { PooledConnectionLifetime = TimeSpan.Zero }, "'PooledConnectionLifetime' must be positive or infinite (got 00:00:00)." },
        { new HttpClientOptions { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(-2) }, "'PooledConnectionIdleTimeout' must be positive or infinite (got -00:00:02)." },
        { new HttpClientOptions { ConnectTimeout = TimeSpan.FromHours(1) }, "'ConnectTimeout' must be between 1 ms and 10 minutes (got 01:00:00)." },
        { new HttpClientOptions { RequestTimeout = TimeSpan.Zero }, "'RequestTimeout' must be between 1 ms and 1 hour (got 00:00:00)." },
        { new HttpClientOptions { HttpVersion = new Version(3, 0) }, "'HttpVersion' must be 1.1 or 2.0 (got 3.0)." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Create_InvalidOptions_ThrowsValidationExceptionWithEveryProblem(HttpClientOptions options, string error)
    {
        var e = Assert.Throws<ValidationException>(() => HttpClientFactory.Create(options));

        Assert.Equal($"The 'HttpClientOptions' are invalid.{Environment.NewLine}{error}", e.Message);
    }
}
