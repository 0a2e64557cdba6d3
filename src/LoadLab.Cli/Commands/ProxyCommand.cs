using System.CommandLine;
using LoadLab.Chaos.Faults;
using LoadLab.Chaos.Proxy;

namespace LoadLab.Cli.Commands;

/// <summary>
/// <c>loadlab proxy --target URL --listen 127.0.0.1:PORT</c>: a chaos proxy (YARP) in front of an HTTP
/// service, with faults from <c>--faults</c> and an admin API to change them while it runs. Runs until Ctrl+C.
/// </summary>
internal sealed class ProxyCommand : BaseCommand
{
    private static readonly Option<string> s_targetOption = new("--target") { Description = "The service behind the proxy, e.g. http://127.0.0.1:5081.", Required = true };

    private static readonly Option<string> s_listenOption = new("--listen")
    {
        Description = "Where the proxy listens, host:port (loopback unless --allow-remote).",
        DefaultValueFactory = _ => "127.0.0.1:8081",
    };

    private static readonly Option<string> s_adminListenOption = new("--admin-listen") { Description = "Where the admin API and /metrics listen, host:port on loopback (default: the listen port + 1)." };

    private const string AdminTokenVariable = "LOADLAB_ADMIN_TOKEN";

    private static readonly Option<string> s_adminTokenOption = new("--admin-token")
    {
        Description = $"The admin API's bearer token (at least 16 characters), or {AdminTokenVariable} (which keeps it out of the process list); generated and printed once when both are absent.",
    };

    private static readonly Option<string> s_faultsOption = new("--faults") { Description = "A fault file (YAML) applied from the start." };

    private static readonly Option<string> s_nameOption = new("--name") { Description = "The proxy's name: the target label of its fault metrics and its name in game days (default: the target's host:port)." };

    private static readonly Option<bool> s_allowRemoteOption = new("--allow-remote") { Description = "Allow listening on a non-loopback address (the admin API stays on loopback)." };

    public ProxyCommand()
        : base("proxy", "Run a chaos proxy in front of an HTTP service; change its faults at run time through GET/PUT/DELETE /faults.")
    {
        Options.Add(s_targetOption);
        Options.Add(s_listenOption);
        Options.Add(s_adminListenOption);
        Options.Add(s_adminTokenOption);
        Options.Add(s_faultsOption);
        Options.Add(s_nameOption);
        Options.Add(s_allowRemoteOption);
    }

    protected override bool IsUserError(Exception e) => base.IsUserError(e) || e is FaultSpecException or ChaosProxyException;

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var faultsFile = parseResult.GetValue(s_faultsOption);
        var options = new ChaosProxyOptions
        {
            Target = parseResult.GetValue(s_targetOption) ?? "",
            Listen = parseResult.GetValue(s_listenOption) ?? "127.0.0.1:8081",
            AdminListen = parseResult.GetValue(s_adminListenOption),
            AdminToken = parseResult.GetValue(s_adminTokenOption) ?? NonEmpty(System.Environment.GetEnvironmentVariable(AdminTokenVariable)),
            AllowRemote = parseResult.GetValue(s_allowRemoteOption),
            Name = parseResult.GetValue(s_nameOption),
            Faults = faultsFile is null ? [] : FaultFile.Load(faultsFile),
        };

        var output = Out(parseResult);
        await using var proxy = await ChaosProxy.StartAsync(options, cancellationToken);
        await output.WriteLineAsync($"proxy '{proxy.Name}' on {proxy.Url} -> {options.Target}");
        await output.WriteLineAsync($"admin API on {proxy.AdminUrl}faults (GET/PUT/DELETE, Authorization: Bearer <token>), metrics on {proxy.AdminUrl}metrics");
        foreach (var fault in proxy.Faults)
        {
            await output.WriteLineAsync($"  fault {fault.Name}: {FaultText(fault)}");
        }

        if (options.AdminToken is null)
        {
            // Printed once, to stderr, so it stays out of logs that capture stdout; never written again.
            await Error(parseResult).WriteLineAsync($"admin token: {proxy.AdminToken}");
        }

        await output.WriteLineAsync("Press Ctrl+C to stop.");

        // Ctrl+C or SIGTERM is how a proxy ends: faults go with it.
        await WaitForStopAsync(cancellationToken);
        await output.WriteLineAsync("proxy stopped");
        return ExitCodes.Success;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Percent(double rate) => (rate * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string FaultText(FaultSpec fault) =>
        $"{fault.Kind.ToString().ToLowerInvariant()} on {Percent(fault.Rate)}" + (fault.Match is { } m ? $" of {m.Method ?? "*"} {m.Path ?? "/"}" : "");
}
