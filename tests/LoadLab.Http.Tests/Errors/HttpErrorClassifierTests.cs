using System.Net.Sockets;
using LoadLab.Http.Errors;

namespace LoadLab.Http.Tests.Errors;

public sealed class HttpErrorClassifierTests
{
    public static TheoryData<Exception, string> Exceptions => new()
    {
        { new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)), "connection_refused" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "x"), "connection_refused" },
        { new HttpRequestException("x", new IOException("y", new SocketException((int)SocketError.ConnectionReset))), "connection_reset" },
        { new HttpIOException(HttpRequestError.ResponseEnded, "ended"), "connection_reset" },
        { new TaskCanceledException("x", new TimeoutException()), "timeout" },
        { new HttpRequestException("x", new SocketException((int)SocketError.TimedOut)), "timeout" },
        { new InvalidOperationException("x"), "exception" },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Classify_Exception_GivesTheKind(Exception exception, string kind)
    {
        Assert.Equal(kind, HttpErrorClassifier.Classify(exception));
    }

    [Theory]
    [InlineData(200, null)]
    [InlineData(302, null)]
    [InlineData(400, "http_4xx")]
    [InlineData(499, "http_4xx")]
    [InlineData(500, "http_5xx")]
    public void KindOf_Status_GivesTheClass(int status, string? kind)
    {
        Assert.Equal(kind, HttpErrorClassifier.KindOf(status));
    }
}
