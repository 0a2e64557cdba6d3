namespace LoadLab.Cli;

/// <summary>
/// A mistake of the user's (a bad flag, file or value). The CLI prints the message, without a
/// stack trace, and exits with <see cref="ExitCodes.InvalidInput"/>.
/// </summary>
public sealed class UserInputException : Exception
{
    public UserInputException()
    {
    }

    public UserInputException(string message)
        : base(message)
    {
    }

    public UserInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
