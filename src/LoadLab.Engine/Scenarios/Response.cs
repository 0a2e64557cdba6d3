using LoadLab.Metrics;

namespace LoadLab.Engine.Scenarios;

/// <summary>The outcome of a step or an iteration (NBomber's <c>Response</c>).</summary>
public class Response
{
    private protected Response(bool isError, string? statusCode, string? message, long sizeBytes, string? errorKind, long sentBytes)
    {
        IsError = isError;
        StatusCode = statusCode;
        Message = message;
        SizeBytes = sizeBytes;
        SentBytes = sentBytes;
        ErrorKind = isError ? errorKind ?? ClassifyStatus(statusCode) : null;
    }

    /// <summary>Gets a value indicating whether the step failed.</summary>
    public bool IsError { get; }

    /// <summary>Gets the status code, e.g. "201", if any.</summary>
    public string? StatusCode { get; }

    /// <summary>Gets a message, if any (never a secret: it may be logged).</summary>
    public string? Message { get; }

    /// <summary>Gets the bytes received.</summary>
    public long SizeBytes { get; }

    /// <summary>Gets the bytes sent.</summary>
    public long SentBytes { get; }

    /// <summary>Gets the error kind of a failure (http_4xx, http_5xx, timeout, ... ; see <see cref="MetricNames.ErrorKinds"/>).</summary>
    public string? ErrorKind { get; }

    /// <summary>Creates a success.</summary>
    /// <param name="statusCode">A status code, e.g. "200".</param>
    /// <param name="sizeBytes">Bytes received.</param>
    /// <param name="message">A message.</param>
    /// <param name="sentBytes">Bytes sent.</param>
    /// <returns>The response.</returns>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)] // Ok("201") means a status code, not a string payload.
    public static Response Ok(string? statusCode = null, long sizeBytes = 0, string? message = null, long sentBytes = 0) =>
        new Response<object>(default, false, statusCode, message, sizeBytes, null, sentBytes);

    /// <summary>Creates a success with a payload for later steps.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="payload">The payload.</param>
    /// <param name="statusCode">A status code.</param>
    /// <param name="sizeBytes">Bytes received.</param>
    /// <param name="message">A message.</param>
    /// <param name="sentBytes">Bytes sent.</param>
    /// <returns>The response.</returns>
    public static Response<T> Ok<T>(T payload, string? statusCode = null, long sizeBytes = 0, string? message = null, long sentBytes = 0) =>
        new(payload, false, statusCode, message, sizeBytes, null, sentBytes);

    /// <summary>Creates a failure. Without <paramref name="errorKind"/>, 4xx and 5xx codes give http_4xx and http_5xx, anything else check_failed.</summary>
    /// <param name="statusCode">A status code.</param>
    /// <param name="message">What went wrong (no secrets).</param>
    /// <param name="sizeBytes">Bytes received.</param>
    /// <param name="errorKind">The error kind.</param>
    /// <param name="sentBytes">Bytes sent.</param>
    /// <returns>The response.</returns>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public static Response Fail(string? statusCode = null, string? message = null, long sizeBytes = 0, string? errorKind = null, long sentBytes = 0) =>
        new Response<object>(default, true, statusCode, message, sizeBytes, errorKind, sentBytes);

    /// <summary>Creates a typed failure.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="statusCode">A status code.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="sizeBytes">Bytes received.</param>
    /// <param name="errorKind">The error kind.</param>
    /// <param name="sentBytes">Bytes sent.</param>
    /// <returns>The response.</returns>
    public static Response<T> Fail<T>(string? statusCode = null, string? message = null, long sizeBytes = 0, string? errorKind = null, long sentBytes = 0) =>
        new(default, true, statusCode, message, sizeBytes, errorKind, sentBytes);

    internal static string ClassifyStatus(string? statusCode)
    {
        if (statusCode is { Length: 3 } && statusCode[0] == '4')
        {
            return MetricNames.ErrorKinds.Http4xx;
        }

        if (statusCode is { Length: 3 } && statusCode[0] == '5')
        {
            return MetricNames.ErrorKinds.Http5xx;
        }

        return MetricNames.ErrorKinds.CheckFailed;
    }
}

/// <summary>A response with a payload.</summary>
/// <typeparam name="T">The payload type.</typeparam>
public sealed class Response<T> : Response
{
    internal Response(T? payload, bool isError, string? statusCode, string? message, long sizeBytes, string? errorKind, long sentBytes = 0)
        : base(isError, statusCode, message, sizeBytes, errorKind, sentBytes)
    {
        Payload = payload;
    }

    /// <summary>Gets the payload.</summary>
    public T? Payload { get; }
}
