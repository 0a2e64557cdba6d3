namespace LoadLab.Chaos.Faults;

/// <summary>How a fault pipeline draws its randomness, tells time and reports injections.</summary>
public sealed class FaultPipelineOptions
{
    /// <summary>Gets or sets where the faults are injected: the <c>target</c> label of the fault metrics.</summary>
    /// <value>Defaults to <c>client</c>.</value>
    public string Target { get; set; } = "client";

    /// <summary>Gets or sets the source of uniform random numbers in [0, 1) (Polly's <c>Randomizer</c>); seed it for deterministic tests.</summary>
    /// <value>Defaults to <see cref="Random.Shared"/>.</value>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>Gets or sets the time provider for latency, hang and time windows.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the metrics that count injections; null counts nothing.</summary>
    public FaultMetrics? Metrics { get; set; }

    /// <summary>Gets or sets a callback for every injection (fault, kind); it must not block.</summary>
    public Action<FaultSpec>? OnInjected { get; set; }
}
