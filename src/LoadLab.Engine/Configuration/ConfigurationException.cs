namespace LoadLab.Engine.Configuration;

/// <summary>
/// A profile or setting is invalid. The message has a primary line and then one line per problem,
/// each naming the file, line and column (or the flag or variable) and what was expected.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    /// <param name="source">The profile path (or another source name).</param>
    /// <param name="errors">The problems.</param>
    public ConfigurationException(string source, IReadOnlyList<ConfigError> errors)
        : base(BuildMessage(source, errors))
    {
        Errors = errors;
    }

    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    public ConfigurationException()
    {
        Errors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ConfigurationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Gets the problems.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string BuildMessage(string source, IReadOnlyList<ConfigError> errors)
    {
        var head = errors.Count == 1 ? $"The profile '{source}' is invalid:" : $"The profile '{source}' is invalid ({errors.Count} problems):";
        return head + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}

/// <summary>One problem in a profile: where, which field, what was expected.</summary>
/// <param name="Location">file:line:column, or the flag or environment variable it came from.</param>
/// <param name="Field">The field path, e.g. scenarios[0].load[1].inject.rate.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ConfigError(string Location, string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => string.IsNullOrEmpty(Field) ? $"{Location}: {Message}" : $"{Location}: {Field}: {Message}";
}
