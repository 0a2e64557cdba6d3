using System.CommandLine;
using System.Net;
using LoadLab.Chaos.Proxy;
using LoadLab.Cli;

namespace LoadLab.Dashboards.Tests.Compose;

/// <summary>
/// A port a service listens on. <see cref="LoopbackOnly"/>: bound to loopback, so only its own
/// network namespace reaches it, and Docker's published ports (forwarded to the container's
/// address) do not.
/// </summary>
internal sealed record ComposeListener(string Service, int Port, bool LoopbackOnly);

/// <summary>A published port: "127.0.0.1:8081:8081".</summary>
internal sealed record ComposePublishedPort(string Service, string HostIp, int HostPort, int ContainerPort);

/// <summary>A bind mount or named volume of a compose service.</summary>
internal sealed record ComposeMount(string Service, string Source, string Target, bool ReadOnly)
{
    public bool IsBind => Source.StartsWith('.') || Source.StartsWith('/');
}

/// <summary>docker-compose.yml, parsed with YamlDotNet.</summary>
internal sealed class ComposeFile
{
    private readonly Dictionary<string, IReadOnlyList<ComposeListener>> _commandListeners = new(StringComparer.Ordinal);

    private ComposeFile(Dictionary<string, object?> root)
    {
        Root = root;
        Services = RepositoryFiles.Map(root["services"], "services")
            .ToDictionary(p => p.Key, p => RepositoryFiles.Map(p.Value, p.Key), StringComparer.Ordinal);
    }

    public Dictionary<string, object?> Root { get; }

    public IReadOnlyDictionary<string, Dictionary<string, object?>> Services { get; }

    public static ComposeFile Load() => new(RepositoryFiles.Map(RepositoryFiles.ReadYaml(RepositoryFiles.Compose), "docker-compose.yml"));

    public IEnumerable<ComposeMount> Mounts()
    {
        foreach (var (name, service) in Services)
        {
            if (!service.TryGetValue("volumes", out var volumes))
            {
                continue;
            }

            foreach (var volume in RepositoryFiles.List(volumes, $"{name}.volumes").OfType<string>())
            {
                var parts = volume.Split(':');
                yield return new ComposeMount(name, parts[0], parts[1], parts.Length > 2 && parts[2] == "ro");
            }
        }
    }

    /// <summary>The container ports of a service ("127.0.0.1:9090:9090" → 9090).</summary>
    public IReadOnlySet<int> ContainerPorts(string service) => PublishedPorts(service).Select(p => p.ContainerPort).ToHashSet();

    /// <summary>The ports a service publishes, in the long "host-ip:host-port:container-port" form (anything else has no host IP).</summary>
    public IReadOnlyList<ComposePublishedPort> PublishedPorts(string service)
    {
        var ports = new List<ComposePublishedPort>();
        if (Services[service].TryGetValue("ports", out var list))
        {
            foreach (var port in RepositoryFiles.List(list, $"{service}.ports").OfType<string>())
            {
                var parts = port.Split(':');
                var container = int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture);
                var host = parts.Length > 1 ? int.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture) : container;
                ports.Add(new ComposePublishedPort(service, parts.Length > 2 ? parts[0] : "", host, container));
            }
        }

        return ports;
    }

    public IReadOnlyList<string> Command(string service) =>
        Services[service].TryGetValue("command", out var command)
            ? RepositoryFiles.List(command, $"{service}.command").OfType<string>().ToList()
            : [];

    public string? NetworkMode(string service) => RepositoryFiles.Text(Services[service], "network_mode");

    /// <summary>
    /// Whether <paramref name="host"/>:<paramref name="port"/> reaches a listener, seen from inside
    /// <paramref name="from"/>: loopback reaches the services sharing its network namespace, a
    /// service name reaches the services in that service's namespace that do not listen on loopback only.
    /// </summary>
    public bool Reaches(string from, string host, int port) => Listener(from, host, port) is not null;

    /// <summary>The listener that <paramref name="host"/>:<paramref name="port"/> reaches from inside <paramref name="from"/>, if any.</summary>
    public ComposeListener? Listener(string from, string host, int port)
    {
        if (host is "127.0.0.1" or "localhost")
        {
            return Members(OwnerOf(from)).SelectMany(Listeners).FirstOrDefault(l => l.Port == port);
        }

        return Services.ContainsKey(host) && NetworkMode(host) is null
            ? Members(host).SelectMany(Listeners).FirstOrDefault(l => l.Port == port && !l.LoopbackOnly)
            : null;
    }

    /// <summary>The network namespace a service lives in: its own, or the one of network_mode service:X.</summary>
    public string OwnerOf(string service) =>
        NetworkMode(service) is { } mode && mode.StartsWith("service:", StringComparison.Ordinal) ? mode["service:".Length..] : service;

    public IEnumerable<string> Members(string owner) => Services.Keys.Where(s => OwnerOf(s) == owner);

    /// <summary>Whether a service runs the LoadLab image: one that a service of this file builds (deploy/docker/Dockerfile).</summary>
    public bool IsLoadLab(string service)
    {
        var built = Services.Values.Where(s => s.ContainsKey("build")).Select(s => RepositoryFiles.Text(s, "image")).ToHashSet(StringComparer.Ordinal);
        return Services[service].ContainsKey("build") || built.Contains(RepositoryFiles.Text(Services[service], "image"));
    }

    /// <summary>A LoadLab service's command, parsed by the real <c>loadlab</c> root command.</summary>
    public ParseResult ParseLoadLabCommand(string service) => CliApp.CreateRootCommand().Parse(Command(service));

    /// <summary>Ports named by the command's --*-port flags (e.g. loadlab targets --api-port 5080).</summary>
    public IReadOnlySet<int> CommandPorts(string service) =>
        CommandListeners(service).Where(l => l.Port != 0).Select(l => l.Port).ToHashSet();

    /// <summary>
    /// The listeners a LoadLab service's command opens, as the CLI reads it (its defaults included):
    /// <c>--*-port</c> on <c>--bind</c> (<c>loadlab targets</c>), <c>--listen</c> and <c>--admin-listen</c>
    /// (<c>loadlab proxy</c>; the admin API defaults to the listen port + 1 on loopback).
    /// </summary>
    public IReadOnlyList<ComposeListener> CommandListeners(string service)
    {
        if (!_commandListeners.TryGetValue(service, out var listeners))
        {
            listeners = ReadCommandListeners(service);
            _commandListeners[service] = listeners;
        }

        return listeners;
    }

    /// <summary>
    /// What a service listens on: its LoadLab command's listeners, or else (other images) the
    /// container ports it publishes, less those that LoadLab services joining its namespace open.
    /// </summary>
    public IReadOnlyList<ComposeListener> Listeners(string service)
    {
        if (IsLoadLab(service) || NetworkMode(service) is not null)
        {
            return CommandListeners(service);
        }

        var claimed = Members(service).Where(s => s != service).SelectMany(CommandPorts).ToHashSet();
        return ContainerPorts(service).Except(claimed).Select(p => new ComposeListener(service, p, LoopbackOnly: false)).ToList();
    }

    /// <summary>The ports a service listens on (see <see cref="Listeners"/>).</summary>
    public IReadOnlySet<int> ListeningPorts(string service) => Listeners(service).Select(l => l.Port).ToHashSet();

    private static IPEndPoint Endpoint(string service, string option, string? text) =>
        ChaosProxyOptions.TryParseListen(text, out var endPoint, out var error)
            ? endPoint!
            : throw new InvalidDataException($"{service}: {option} {error}");

    private List<ComposeListener> ReadCommandListeners(string service)
    {
        if (!IsLoadLab(service) || Command(service).Count == 0)
        {
            return [];
        }

        var parse = ParseLoadLabCommand(service);
        if (parse.Errors.Count > 0)
        {
            throw new InvalidDataException($"{service}: loadlab does not accept its command: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }

        var command = parse.CommandResult.Command;
        var listeners = new List<ComposeListener>();
        var ports = command.Options.Where(o => o.Name.EndsWith("-port", StringComparison.Ordinal)).ToList();
        if (ports.Count > 0)
        {
            var bind = command.Options.Any(o => o.Name == "--bind") ? parse.GetValue<string>("--bind") : null;
            var loopback = bind is null || IPAddress.IsLoopback(IPAddress.Parse(bind));
            listeners.AddRange(ports.Select(o => new ComposeListener(service, parse.GetValue<int>(o.Name), loopback)));
        }

        if (command.Options.Any(o => o.Name == "--listen"))
        {
            var listen = Endpoint(service, "--listen", parse.GetValue<string>("--listen"));
            listeners.Add(new ComposeListener(service, listen.Port, IPAddress.IsLoopback(listen.Address)));
            var adminText = command.Options.Any(o => o.Name == "--admin-listen") ? parse.GetValue<string>("--admin-listen") : null;
            var admin = adminText is null ? new IPEndPoint(IPAddress.Loopback, listen.Port + 1) : Endpoint(service, "--admin-listen", adminText);
            listeners.Add(new ComposeListener(service, admin.Port, IPAddress.IsLoopback(admin.Address)));
        }

        return listeners;
    }
}
