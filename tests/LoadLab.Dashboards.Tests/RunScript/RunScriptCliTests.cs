using LoadLab.Cli;

namespace LoadLab.Dashboards.Tests.RunScript;

/// <summary>Every loadlab sub-command run.ps1 calls exists in the real CLI.</summary>
public sealed class RunScriptCliTests
{
    [Fact]
    public void RunScript_Subcommands_ExistInTheRootCommand()
    {
        var root = CliApp.CreateRootCommand();
        var names = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var used = RunScript.Parse().LoadLabSubcommands();

        Assert.NotEmpty(used);
        Assert.All(used, c => Assert.Contains(c, names));
    }
}
