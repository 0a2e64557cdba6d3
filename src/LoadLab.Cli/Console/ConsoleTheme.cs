using Spectre.Console;

namespace LoadLab.Cli.Console;

internal static class ConsoleTheme
{
    /// <summary>Gets whether the writer is a real terminal (live view) rather than a CI log or a test.</summary>
    public static bool IsInteractive(TextWriter writer) =>
        ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static IAnsiConsole For(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            // CI logs have no width; a fixed one keeps tables on one line per row.
            console.Profile.Width = 140;
        }

        return console;
    }

    public static string Ms(double seconds) => seconds < 0 ? "-" : seconds < 0.001 ? $"{seconds * 1e6:0}µs" : seconds < 1 ? $"{seconds * 1000:0.0}ms" : $"{seconds:0.00}s";
}
