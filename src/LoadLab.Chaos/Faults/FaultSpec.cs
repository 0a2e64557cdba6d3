using System.Globalization;

namespace LoadLab.Chaos.Faults;

/// <summary>The kind of a fault.</summary>
public enum FaultKind
{
    /// <summary>Extra latency before the request goes on.</summary>
    Latency,

    /// <summary>An HTTP status with a body instead of the real response (the target is not called).</summary>
    Status,

    /// <summary>The connection is reset.</summary>
    Abort,

    /// <summary>The request is held until the client gives up, at most for the given duration.</summary>
    Hang,

    /// <summary>The request reaches the target, but its response is replaced (a lost response).</summary>
    Outcome,
}

/// <summary>
/// One fault: what to inject (exactly one of <see cref="Latency"/>, <see cref="Status"/>, <see cref="Abort"/>,
/// <see cref="Hang"/>, <see cref="Outcome"/>), into which share of the requests, which requests, and when.
/// The same shape as an entry of the fault file (docs/chaos.md).
/// </summary>
public sealed class FaultSpec
{
    /// <summary>Gets or sets the fault name (the <c>fault</c> label of the fault metrics).</summary>
    /// <value>Required. Letters, digits, '-', '_' and '.'; unique within a fault set.</value>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the share of matching requests to inject into.</summary>
    /// <value>Required. Must be between 0 and 1.</value>
    public double Rate { get; set; } = double.NaN;

    /// <summary>Gets or sets which requests the fault applies to; null means all.</summary>
    public FaultMatch? Match { get; set; }

    /// <summary>Gets or sets when the fault is active, from the moment the fault set is applied; null means always.</summary>
    public FaultTimeWindow? Window { get; set; }

    /// <summary>Gets or sets the extra latency, for a latency fault.</summary>
    public LatencyDistribution? Latency { get; set; }

    /// <summary>Gets or sets the status and body returned instead of calling the target, for a status fault.</summary>
    public StatusResponse? Status { get; set; }

    /// <summary>Gets or sets a value indicating whether the connection is reset (an abort fault).</summary>
    public bool Abort { get; set; }

    /// <summary>Gets or sets how long a request is held at most before the connection is reset, for a hang fault.</summary>
    public TimeSpan? Hang { get; set; }

    /// <summary>Gets or sets the response that replaces the target's real response, for an outcome fault.</summary>
    public StatusResponse? Outcome { get; set; }

    /// <summary>Gets the kind, from the one fault property that is set (latency when none is: validation reports that).</summary>
    public FaultKind Kind =>
        Status is not null ? FaultKind.Status
        : Abort ? FaultKind.Abort
        : Hang is not null ? FaultKind.Hang
        : Outcome is not null ? FaultKind.Outcome
        : FaultKind.Latency;

    /// <summary>Checks the spec and reports every error with the field it concerns.</summary>
    /// <param name="report">Called once per error with the field name (as in the fault file) and what was expected.</param>
    public void Validate(Action<string, string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (string.IsNullOrWhiteSpace(Name))
        {
            report("name", "expected a fault name");
        }
        else if (!Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            report("name", $"expected letters, digits, '-', '_' or '.', got '{Name}'");
        }

        if (double.IsNaN(Rate))
        {
            report("rate", "expected a rate between 0 and 1 (the share of matching requests)");
        }
        else if (Rate is < 0 or > 1)
        {
            report("rate", $"expected a number between 0 and 1, got {Rate.ToString(CultureInfo.InvariantCulture)}");
        }

        var kinds = (Latency is null ? 0 : 1) + (Status is null ? 0 : 1) + (Abort ? 1 : 0) + (Hang is null ? 0 : 1) + (Outcome is null ? 0 : 1);
        if (kinds == 0)
        {
            report("kind", $"expected one fault kind: {FaultConstants.KindList}");
        }
        else if (kinds > 1)
        {
            report("kind", $"expected exactly one fault kind of {FaultConstants.KindList}, got {kinds}");
        }

        Latency?.Validate(message => report("latency", message));
        Status?.Validate(message => report("status.code", message));
        Outcome?.Validate(message => report("outcome.code", message));
        if (Hang is { } hang && (hang <= TimeSpan.Zero || hang > FaultConstants.MaxDuration))
        {
            report("hang", $"expected a duration between 1ms and {FaultDuration.Format(FaultConstants.MaxDuration)}, got {FaultDuration.Format(hang)}");
        }

        Match?.Validate(report);
        Window?.Validate(report);
    }

    /// <summary>Checks a whole fault set: every spec, and that names are unique.</summary>
    /// <param name="faults">The faults.</param>
    /// <returns>Every error, as "faults[i].field: message"; empty when the set is valid.</returns>
    public static IReadOnlyList<string> ValidateAll(IReadOnlyList<FaultSpec> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < faults.Count; i++)
        {
            var index = i;
            faults[i].Validate((field, message) => errors.Add($"faults[{index}].{field}: {message}"));
            if (!string.IsNullOrWhiteSpace(faults[i].Name) && !names.Add(faults[i].Name))
            {
                errors.Add($"faults[{i}].name: expected a unique name, '{faults[i].Name}' is used twice");
            }
        }

        return errors;
    }
}

/// <summary>Which requests a fault applies to.</summary>
public sealed class FaultMatch
{
    /// <summary>Gets or sets the path prefix (case-sensitive, starting with '/'); null matches every path.</summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets the HTTP method (case-insensitive); null matches every method.</summary>
    public string? Method { get; set; }

    /// <summary>Returns whether a request matches.</summary>
    /// <param name="path">The request path.</param>
    /// <param name="method">The request method.</param>
    /// <returns>True when both the path prefix and the method match.</returns>
    public bool Matches(string path, string method) =>
        (Path is null || path.StartsWith(Path, StringComparison.Ordinal))
        && (Method is null || string.Equals(method, Method, StringComparison.OrdinalIgnoreCase));

    internal void Validate(Action<string, string> report)
    {
        if (Path is not null && !Path.StartsWith('/'))
        {
            report("match.path", $"expected a path prefix starting with '/', got '{Path}'");
        }

        if (Method is not null && !FaultConstants.Methods.Contains(Method.ToUpperInvariant()))
        {
            report("match.method", $"expected an HTTP method ({string.Join(", ", FaultConstants.Methods)}), got '{Method}'");
        }
    }
}

/// <summary>When a fault is active, relative to the moment its fault set is applied.</summary>
public sealed class FaultTimeWindow
{
    /// <summary>Gets or sets how long after the fault set is applied the fault starts.</summary>
    /// <value>Defaults to zero.</value>
    public TimeSpan After { get; set; }

    /// <summary>Gets or sets how long the fault lasts; null means until the fault set changes.</summary>
    public TimeSpan? For { get; set; }

    /// <summary>Returns whether the window is open at an offset.</summary>
    /// <param name="elapsed">The time since the fault set was applied.</param>
    /// <returns>True inside the window.</returns>
    public bool Contains(TimeSpan elapsed) => elapsed >= After && (For is null || elapsed < After + For.Value);

    internal void Validate(Action<string, string> report)
    {
        if (After < TimeSpan.Zero)
        {
            report("window.after", $"expected a duration of zero or more, got {FaultDuration.Format(After)}");
        }

        if (For is { } length && length <= TimeSpan.Zero)
        {
            report("window.for", $"expected a positive duration, got {FaultDuration.Format(length)}");
        }
    }
}

/// <summary>An HTTP status with a body.</summary>
public sealed class StatusResponse
{
    /// <summary>Gets or sets the status code.</summary>
    /// <value>Required. Must be between 100 and 599.</value>
    public int Code { get; set; }

    /// <summary>Gets or sets the body; empty by default.</summary>
    public string Body { get; set; } = "";

    /// <summary>Gets or sets the content type of the body.</summary>
    /// <value>Defaults to application/json when the body starts with '{' or '[', otherwise text/plain.</value>
    public string? ContentType { get; set; }

    internal string EffectiveContentType =>
        ContentType ?? (Body.TrimStart().StartsWith('{') || Body.TrimStart().StartsWith('[') ? "application/json" : "text/plain; charset=utf-8");

    internal void Validate(Action<string> report)
    {
        if (Code is < 100 or > 599)
        {
            report($"expected a status code between 100 and 599, got {Code}");
        }
    }
}
