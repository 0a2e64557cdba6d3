namespace LoadLab.Chaos.Faults;

/// <summary>
/// A fault file, a fault set or a game day is invalid. The message has a primary line and one line per
/// error, each with file:line:column, the field and what was expected. The CLI maps it to exit code 2.
/// </summary>
public sealed class FaultSpecException : Exception
{
    public FaultSpecException()
    {
        Errors = [];
    }

    public FaultSpecException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public FaultSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Initializes a new instance with a primary line and the errors.</summary>
    /// <param name="primary">What is invalid, e.g. "The fault file 'faults.yaml' is invalid.".</param>
    /// <param name="errors">One line per error.</param>
    public FaultSpecException(string primary, IReadOnlyList<string> errors)
        : base(primary + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>Gets the errors, one per line.</summary>
    public IReadOnlyList<string> Errors { get; }
}
