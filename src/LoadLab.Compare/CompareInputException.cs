namespace LoadLab.Compare;

/// <summary>
/// Input a comparison or gate cannot use: a bad gate file (the message names the file, line and
/// field), results with no scenario in common, an empty result. The CLI prints the message without
/// a stack trace and exits with code 2.
/// </summary>
public class CompareInputException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CompareInputException"/> class.</summary>
    public CompareInputException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CompareInputException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CompareInputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CompareInputException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CompareInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
