using System.Management.Automation.Language;

namespace LoadLab.Dashboards.Tests.RunScript;

/// <summary>run.ps1, parsed with the real PowerShell parser.</summary>
internal sealed class RunScript
{
    private RunScript(ScriptBlockAst ast, IReadOnlyList<ParseError> errors)
    {
        Ast = ast;
        Errors = errors;
    }

    public ScriptBlockAst Ast { get; }

    public IReadOnlyList<ParseError> Errors { get; }

    public static RunScript Parse()
    {
        var ast = Parser.ParseFile(RepositoryFiles.RunScript, out _, out var errors);
        return new RunScript(ast, errors);
    }

    /// <summary>The values of the Command parameter's ValidateSet.</summary>
    public IReadOnlyList<string> CommandSet()
    {
        var parameter = Ast.ParamBlock.Parameters.Single(p => p.Name.VariablePath.UserPath == "Command");
        var validateSet = parameter.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateSet");
        return validateSet.PositionalArguments.OfType<StringConstantExpressionAst>().Select(s => s.Value).ToList();
    }

    /// <summary>The clauses of the top-level switch on $Command.</summary>
    public IReadOnlyList<string> SwitchClauses() => Clauses().Keys.ToList();

    /// <summary>The clauses of the top-level switch on $Command, with their bodies.</summary>
    public IReadOnlyDictionary<string, StatementBlockAst> Clauses()
    {
        var statement = Ast.EndBlock.Statements.OfType<SwitchStatementAst>()
            .Single(s => s.Condition.Extent.Text.Contains("$Command", StringComparison.OrdinalIgnoreCase));
        return statement.Clauses.Where(c => c.Item1 is StringConstantExpressionAst)
            .ToDictionary(c => ((StringConstantExpressionAst)c.Item1).Value, c => c.Item2, StringComparer.Ordinal);
    }

    /// <summary>The default value of a script parameter, a string constant.</summary>
    public string DefaultValue(string parameter) =>
        Ast.ParamBlock.Parameters.Single(p => p.Name.VariablePath.UserPath == parameter).DefaultValue is StringConstantExpressionAst s
            ? s.Value
            : throw new InvalidDataException($"run.ps1 -{parameter} has no string default");

    /// <summary>
    /// The loadlab sub-commands run.ps1 runs: the first argument of each Invoke-LoadLab call (on
    /// the host) and of each Invoke-Runner call (in the stack's runner container).
    /// </summary>
    public IReadOnlyList<string> LoadLabSubcommands() =>
        Ast.FindAll(a => a is CommandAst c && c.GetCommandName() is "Invoke-LoadLab" or "Invoke-Runner", searchNestedScriptBlocks: true)
            .Cast<CommandAst>()
            .Select(c => c.CommandElements.Count > 1 && c.CommandElements[1] is StringConstantExpressionAst s ? s.Value : "")
            .ToList();

    /// <summary>The commands run.ps1 runs directly (not through Invoke-LoadLab): their names.</summary>
    public IReadOnlyList<CommandAst> Commands() =>
        Ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().ToList();
}
