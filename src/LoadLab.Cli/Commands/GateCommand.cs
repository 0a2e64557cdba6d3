using System.CommandLine;
using LoadLab.Compare;

namespace LoadLab.Cli.Commands;

/// <summary>
/// <c>loadlab gate</c>: PromQL gates against the Prometheus HTTP API. Prints query, value, bound
/// and verdict; exits 0 (pass), 4 (fail), or 2 (unreachable Prometheus, query error, bad flags).
/// </summary>
internal sealed class GateCommand : BaseCommand
{
    private static readonly Option<string> s_prometheusOption = new("--prometheus") { Description = "The Prometheus URL, e.g. http://127.0.0.1:9090.", Required = true };

    private static readonly Option<string> s_queryOption = new("--query") { Description = "A PromQL instant query; every series it returns must hold the bound." };

    private static readonly Option<double?> s_maxOption = new("--max") { Description = "The query's upper bound (inclusive)." };

    private static readonly Option<double?> s_minOption = new("--min") { Description = "The query's lower bound (inclusive)." };

    private static readonly Option<string> s_fileOption = new("--file") { Description = "A gates file (YAML): gates: [ { name, query, max | min, no_data } ]." };

    private static readonly Option<string> s_noDataOption = new("--no-data")
    {
        Description = "What a query without any series means: fail (default) or pass.",
        DefaultValueFactory = _ => "fail",
    };

    public GateCommand()
        : base("gate", "Check PromQL queries against bounds: a pipeline gate with an explicit no-data policy.")
    {
        Options.Add(s_prometheusOption);
        Options.Add(s_queryOption);
        Options.Add(s_maxOption);
        Options.Add(s_minOption);
        Options.Add(s_fileOption);
        Options.Add(s_noDataOption);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new GateRequest
        {
            Prometheus = parseResult.GetValue(s_prometheusOption) ?? "",
            Query = parseResult.GetValue(s_queryOption),
            Max = parseResult.GetValue(s_maxOption),
            Min = parseResult.GetValue(s_minOption),
            File = parseResult.GetValue(s_fileOption),
            NoData = parseResult.GetValue(s_noDataOption) ?? "fail",
        };
        return GateCommandRunner.RunAsync(request, Out(parseResult), Error(parseResult), cancellationToken);
    }
}
