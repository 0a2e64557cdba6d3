using LoadLab.Chaos.Faults;

namespace LoadLab.Chaos.GameDays;

/// <summary>A game day: a steady-state hypothesis, the proxies to inject into, and a timeline of faults.</summary>
public sealed class GameDaySpec
{
    /// <summary>Gets or sets the game day's name (the profile name).</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the hypothesis, in words.</summary>
    public string Hypothesis { get; set; } = "";

    /// <summary>Gets or sets the probes that define "steady".</summary>
    public List<ProbeSpec> Probes { get; set; } = [];

    /// <summary>Gets or sets the places faults are injected into, by name.</summary>
    public List<FaultTargetSpec> Targets { get; set; } = [];

    /// <summary>Gets or sets the timeline of fault actions.</summary>
    public List<FaultAction> Method { get; set; } = [];

    /// <summary>Gets or sets how long the load runs before the steady state is checked and the method starts.</summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan SteadyFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how often probes are checked during and after the method.</summary>
    /// <value>Defaults to 2 s.</value>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how soon after the last fault ends every probe must hold again.</summary>
    /// <value>Defaults to 15 s.</value>
    public TimeSpan Recovery { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the Prometheus URL for PromQL probes.</summary>
    public Uri? Prometheus { get; set; }

    /// <summary>Gets the length of the method: the end of its last action.</summary>
    public TimeSpan MethodLength => Method.Count == 0 ? TimeSpan.Zero : Method.Max(a => a.At + a.For);
}

/// <summary>The kind of a probe.</summary>
public enum ProbeKind
{
    /// <summary>An HTTP endpoint's status code.</summary>
    Http,

    /// <summary>A statistic of the run itself over a window: error_rate, p95 or rps.</summary>
    Statistic,

    /// <summary>A PromQL instant query against <see cref="GameDaySpec.Prometheus"/>.</summary>
    PromQl,
}

/// <summary>One probe of the steady-state hypothesis with its tolerance.</summary>
public sealed class ProbeSpec
{
    /// <summary>Gets or sets the probe name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the kind.</summary>
    public ProbeKind Kind { get; set; }

    /// <summary>Gets or sets the URL of an HTTP probe.</summary>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the status an HTTP probe expects.</summary>
    /// <value>Defaults to 200.</value>
    public int ExpectStatus { get; set; } = 200;

    /// <summary>Gets or sets the statistic of a statistic probe: error_rate, p95 or rps.</summary>
    public string Statistic { get; set; } = "";

    /// <summary>Gets or sets the scenario of a statistic probe; null means every scenario together.</summary>
    public string? Scenario { get; set; }

    /// <summary>Gets or sets the window of a statistic probe.</summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the PromQL query of a PromQL probe.</summary>
    public string? Query { get; set; }

    /// <summary>Gets or sets the highest value that is steady (seconds for latencies, a ratio for rates).</summary>
    public double? Max { get; set; }

    /// <summary>Gets or sets the lowest value that is steady.</summary>
    public double? Min { get; set; }

    /// <summary>Gets a description of the probe and its tolerance for the journal.</summary>
    public string Describe() => Kind switch
    {
        ProbeKind.Http => $"GET {Url} returns {ExpectStatus}",
        ProbeKind.Statistic => $"{Statistic} of {Scenario ?? "all scenarios"} over {FaultDuration.Format(Window)} {Bounds()}",
        _ => $"PromQL `{Query}` {Bounds()}",
    };

    private string Bounds() => string.Join(" and ", new[] { Min is { } min ? $">= {Format(min)}" : null, Max is { } max ? $"<= {Format(max)}" : null }.Where(s => s is not null));

    internal string Format(double value) => Statistic switch
    {
        "error_rate" => $"{value * 100:0.##}%",
        "p95" or "p99" or "p50" => $"{value * 1000:0.#}ms",
        _ => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Where a game day injects faults: a chaos proxy it starts, or a running proxy's admin API.</summary>
public sealed class FaultTargetSpec
{
    /// <summary>Gets or sets the name actions refer to.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the service behind an in-process proxy.</summary>
    public string? Target { get; set; }

    /// <summary>Gets or sets where an in-process proxy listens.</summary>
    public string? Listen { get; set; }

    /// <summary>Gets or sets the admin URL of a running proxy (<c>loadlab proxy</c>).</summary>
    public Uri? Admin { get; set; }

    /// <summary>Gets or sets the environment variable holding the admin token of a running proxy.</summary>
    public string? TokenEnv { get; set; }
}

/// <summary>One action of the method: a fault on a target from <see cref="At"/> for <see cref="For"/>.</summary>
public sealed class FaultAction
{
    /// <summary>Gets or sets the offset from the start of the method.</summary>
    public TimeSpan At { get; set; }

    /// <summary>Gets or sets how long the fault lasts.</summary>
    public TimeSpan For { get; set; }

    /// <summary>Gets or sets the name of the target.</summary>
    public string Target { get; set; } = "";

    /// <summary>Gets or sets the fault.</summary>
    public FaultSpec Fault { get; set; } = new();
}
