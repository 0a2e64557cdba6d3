using LoadLab.Engine.Scenarios;

namespace LoadLab.Scenarios.Common;

/// <summary>How a flow ends its iteration: ok, or as its first failed step (the engine takes the kind from it).</summary>
internal static class FlowResult
{
    /// <summary>Gets the shared success (responses are immutable).</summary>
    public static Response Ok { get; } = Response.Ok();
}
