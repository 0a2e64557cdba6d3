using System.Management.Automation.Language;

namespace LoadLab.Dashboards.Tests.RunScript;

/// <summary>run.ps1: it parses, has the commands of issue 7 and calls what the README documents.</summary>
public sealed class RunScriptTests
{
    private static readonly string[] s_commands = ["help", "demo", "test", "up", "down", "nightly", "compare", "gameday"];

    [Fact]
    public void ParseFile_RunScript_HasNoErrors()
    {
        var script = RunScript.Parse();

        Assert.True(script.Errors.Count == 0, string.Join('\n', script.Errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void RunScript_Commands_AreTheDocumentedSet()
    {
        var script = RunScript.Parse();

        Assert.Equal(s_commands.Order(StringComparer.Ordinal), script.CommandSet().Order(StringComparer.Ordinal));
        Assert.Equal(s_commands.Order(StringComparer.Ordinal), script.SwitchClauses().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RunScript_LoadLab_RunsThroughDotnetRunOrAPublishedLoadLab()
    {
        var script = RunScript.Parse();
        var dotnet = script.Commands().Where(c => c.GetCommandName() == "dotnet").ToList();

        // One place runs the CLI: `dotnet run --project src/LoadLab.Cli -- <command>` (README).
        var run = Assert.Single(dotnet);
        var text = run.Extent.Text;
        Assert.Contains("run --project", text, StringComparison.Ordinal);
        Assert.Contains("src/LoadLab.Cli", text, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(RepositoryFiles.Root, "src", "LoadLab.Cli")));
        Assert.Contains(script.Commands(), c => c.GetCommandName() == "Get-Command" && c.Extent.Text.Contains("loadlab", StringComparison.Ordinal));
    }

    [Fact]
    public void RunScript_Subcommands_AreDocumentedCliCommands()
    {
        // DESIGN.md "Command line"; RunScriptCliTests checks the same against the real RootCommand.
        string[] documented = ["run", "demo", "validate", "list", "targets", "proxy", "gameday", "compare", "gate", "merge", "report"];
        var used = RunScript.Parse().LoadLabSubcommands();

        Assert.Equal(["compare", "demo", "gameday", "run"], used.Distinct().Order(StringComparer.Ordinal));
        Assert.All(used, c => Assert.Contains(c, documented));
    }

    [Fact]
    public void RunScript_Test_RunsEngTestSh()
    {
        var script = RunScript.Parse();
        var bash = Assert.Single(script.Commands(), c => c.GetCommandName() == "bash");

        Assert.Contains("eng/test.sh", bash.Extent.Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, "eng", "test.sh")), "eng/test.sh does not exist");
    }

    [Theory]
    [InlineData("ProfilePath")]
    [InlineData("GameDay")]
    public void RunScript_DefaultProfile_Exists(string parameter)
    {
        var script = RunScript.Parse();
        var value = script.Ast.ParamBlock.Parameters.Single(p => p.Name.VariablePath.UserPath == parameter).DefaultValue;

        var path = Assert.IsType<StringConstantExpressionAst>(value).Value;
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, path)), $"run.ps1 -{parameter} defaults to {path}, which does not exist");
    }

    [Fact]
    public void RunScript_DockerCommands_UseTheComposeFile()
    {
        var script = RunScript.Parse();
        var docker = script.Commands().Where(c => c.GetCommandName() == "Invoke-Docker").Select(c => c.Extent.Text).ToList();

        Assert.Contains(docker, d => d.Contains("compose up", StringComparison.Ordinal));
        Assert.Contains(docker, d => d.Contains("compose down", StringComparison.Ordinal));
        Assert.True(File.Exists(RepositoryFiles.Compose));
    }

    [Fact]
    public void RunScript_NightlyOutputs_MatchTheComposePorts()
    {
        var text = File.ReadAllText(RepositoryFiles.RunScript);
        var compose = Compose.ComposeFile.Load();

        // From the host: Prometheus' remote write and Tempo's OTLP/HTTP, published on 127.0.0.1.
        Assert.Contains("[string] $PrometheusUrl = 'http://127.0.0.1:9090'", text, StringComparison.Ordinal);
        Assert.Contains("[string] $OtlpUrl = 'http://127.0.0.1:4318'", text, StringComparison.Ordinal);
        Assert.Contains(9090, compose.ContainerPorts("prometheus"));
        Assert.Contains(4318, compose.ContainerPorts("tempo"));
        Assert.Contains("prometheus-rw=$PrometheusUrl/api/v1/write", text, StringComparison.Ordinal);
        Assert.Contains("otlp=$OtlpUrl", text, StringComparison.Ordinal);
        Assert.True(Parser.ParseInput(text, out _, out var errors) is not null && errors.Length == 0);
    }
}
