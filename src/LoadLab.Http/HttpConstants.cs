namespace LoadLab.Http;

/// <summary>Defaults and fixed names of the HTTP layer.</summary>
internal static class HttpConstants
{
    public const int DefaultMaxConnectionsPerServer = 1024;
    public const int MaxConnectionsLimit = 100_000;
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain; charset=utf-8";
    public const string BinaryContentType = "application/octet-stream";

    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultPooledConnectionIdleTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);
}
