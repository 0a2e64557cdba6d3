namespace LoadLab.Chaos.Faults;

internal static class FaultConstants
{
    public const string KindList = "latency, status, abort, hang, outcome";

    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    public static readonly string[] Kinds = ["latency", "status", "abort", "hang", "outcome"];

    public static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

    public static string KindName(FaultKind kind) => Kinds[(int)kind];
}
