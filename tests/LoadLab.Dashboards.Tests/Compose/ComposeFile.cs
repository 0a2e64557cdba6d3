namespace LoadLab.Dashboards.Tests.Compose;

/// <summary>A bind mount or named volume of a compose service.</summary>
internal sealed record ComposeMount(string Service, string Source, string Target, bool ReadOnly)
{
    public bool IsBind => Source.StartsWith('.') || Source.StartsWith('/');
}

/// <summary>docker-compose.yml, parsed with YamlDotNet.</summary>
internal sealed class ComposeFile
{
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
    public IReadOnlySet<int> ContainerPorts(string service)
    {
        var ports = new HashSet<int>();
        if (Services[service].TryGetValue("ports", out var list))
        {
            foreach (var port in RepositoryFiles.List(list, $"{service}.ports").OfType<string>())
            {
                ports.Add(int.Parse(port.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture));
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
    /// service name reaches the services in that service's namespace.
    /// </summary>
    public bool Reaches(string from, string host, int port)
    {
        if (host is "127.0.0.1" or "localhost")
        {
            return Members(OwnerOf(from)).Any(s => ListeningPorts(s).Contains(port));
        }

        return Services.ContainsKey(host) && NetworkMode(host) is null && Members(host).Any(s => ListeningPorts(s).Contains(port));
    }

    /// <summary>The network namespace a service lives in: its own, or the one of network_mode service:X.</summary>
    public string OwnerOf(string service) =>
        NetworkMode(service) is { } mode && mode.StartsWith("service:", StringComparison.Ordinal) ? mode["service:".Length..] : service;

    public IEnumerable<string> Members(string owner) => Services.Keys.Where(s => OwnerOf(s) == owner);

    /// <summary>Ports named by the command's --*-port flags (e.g. loadlab targets --api-port 5080).</summary>
    public IReadOnlySet<int> CommandPorts(string service)
    {
        var command = Command(service);
        var ports = new HashSet<int>();
        for (var i = 0; i + 1 < command.Count; i++)
        {
            if (command[i].StartsWith("--", StringComparison.Ordinal) && command[i].EndsWith("-port", StringComparison.Ordinal))
            {
                ports.Add(int.Parse(command[i + 1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return ports;
    }

    /// <summary>
    /// The ports a service listens on: those its command names, or else the container ports it
    /// publishes, less those that services joining its namespace name.
    /// </summary>
    public IReadOnlySet<int> ListeningPorts(string service)
    {
        var own = CommandPorts(service);
        if (own.Count > 0 || NetworkMode(service) is not null)
        {
            return own;
        }

        var claimed = Members(service).Where(s => s != service).SelectMany(CommandPorts);
        return ContainerPorts(service).Except(claimed).ToHashSet();
    }
}
