using System.CommandLine;
using LoadLab.Targets;

namespace LoadLab.Cli.Commands;

/// <summary><c>loadlab targets</c>: runs the sample api-service and payments-service until Ctrl+C.</summary>
internal sealed class TargetsCommand : BaseCommand
{
    private static readonly Option<int> s_apiPort = new("--api-port") { Description = "api-service port (0 = a free port).", DefaultValueFactory = _ => 5080 };
    private static readonly Option<int> s_paymentsPort = new("--payments-port") { Description = "payments-service port (0 = a free port).", DefaultValueFactory = _ => 5081 };
    private static readonly Option<string> s_bind = new("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<bool> s_allowRemote = new("--allow-remote") { Description = "Allow a non-loopback --bind (containers)." };
    private static readonly Option<string> s_release = new("--release") { Description = "Release label of the services.", DefaultValueFactory = _ => "dev" };
    private static readonly Option<string> s_environment = new("--environment") { Description = "Environment label.", DefaultValueFactory = _ => "local" };
    private static readonly Option<string[]> s_regression = new("--regression") { Description = "Make a worse release: latency:/v1/items:+20% or errors:/v1/payments:2% (repeatable)." };
    private static readonly Option<string?> s_dataDir = new("--data-dir") { Description = "Folder of the payments SQLite database (default: a temporary folder)." };
    private static readonly Option<string?> s_adminToken = new("--admin-token") { Description = "Bearer token for /admin/dependency-faults (or LOADLAB_ADMIN_TOKEN); admin endpoints are off without one." };
    private static readonly Option<int?> s_seed = new("--seed") { Description = "Seed of the simulated latencies and declines." };

    public TargetsCommand()
        : base("targets", "Run the sample api-service and payments-service until Ctrl+C.")
    {
        foreach (var o in new Option[] { s_apiPort, s_paymentsPort, s_bind, s_allowRemote, s_release, s_environment, s_regression, s_dataDir, s_adminToken, s_seed })
        {
            Options.Add(o);
        }
    }

    protected override bool IsUserError(Exception e) => base.IsUserError(e) || e is ArgumentException or FormatException or IOException;

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = new TargetOptions
        {
            ApiPort = parseResult.GetValue(s_apiPort),
            PaymentsPort = parseResult.GetValue(s_paymentsPort),
            BindAddress = parseResult.GetValue(s_bind)!,
            AllowRemote = parseResult.GetValue(s_allowRemote),
            Release = parseResult.GetValue(s_release)!,
            Environment = parseResult.GetValue(s_environment)!,
            DataDirectory = parseResult.GetValue(s_dataDir),
            AdminToken = parseResult.GetValue(s_adminToken) ?? System.Environment.GetEnvironmentVariable("LOADLAB_ADMIN_TOKEN"),
            Seed = parseResult.GetValue(s_seed),
        };
        foreach (var r in parseResult.GetValue(s_regression) ?? [])
        {
            options.Regressions.Add(r);
        }

        await using var host = await TargetHost.StartAsync(options, cancellationToken);
        var output = Out(parseResult);
        await output.WriteLineAsync($"api-service      {host.ApiUrl}  (release {options.Release}{(options.Regressions.Count > 0 ? ", regressions: " + string.Join(", ", options.Regressions) : "")})");
        await output.WriteLineAsync($"payments-service {host.PaymentsUrl}  (data in {host.DataDirectory})");
        await output.WriteLineAsync("Metrics at /metrics, health at /health. Ctrl+C stops.");
        await WaitForStopAsync(cancellationToken);
        await host.StopAsync(CancellationToken.None);
        return ExitCodes.Success;
    }
}
