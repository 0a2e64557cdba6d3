using System.CommandLine;
using LoadLab.Cli.Console;
using LoadLab.Engine.Configuration;
using Spectre.Console;

namespace LoadLab.Cli.Commands;

/// <summary><c>loadlab list</c>: the scenarios a profile can name, with their settings.</summary>
internal sealed class ListCommand : BaseCommand
{
    private readonly ScenarioCatalog _catalog;

    public ListCommand(ScenarioCatalog catalog)
        : base("list", "List the scenarios in the library and the built-ins, with their settings.")
    {
        _catalog = catalog;
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var writer = Out(parseResult);
        var console = ConsoleTheme.For(writer, ConsoleTheme.IsInteractive(writer));
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("scenario", "description", "settings (type, default)");
        foreach (var f in _catalog.All)
        {
            var settings = f.Settings.Count == 0 ? "-" : string.Join("\n", f.Settings.Select(s => $"{s.Name} ({s.Type}, {s.Default}): {s.Description}"));
            table.AddRow(Markup.Escape(f.Name), Markup.Escape(f.Description), Markup.Escape(settings));
        }

        console.Write(table);
        return Task.FromResult(ExitCodes.Success);
    }
}
