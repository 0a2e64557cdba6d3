using System.Text.RegularExpressions;

namespace LoadLab.Dashboards.Tests.Compose;

/// <summary>
/// docker-compose.yml, checked statically (no Docker engine here): it parses, every file it mounts
/// exists, and the ports and service names agree with prometheus.yml, the Grafana provisioning,
/// Tempo's and Loki's configs and the runner's outputs.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly string[] s_services = ["prometheus", "pushgateway", "tempo", "loki", "grafana", "targets", "chaos-proxy", "runner"];

    [Fact]
    public void Compose_Parses_AndHasEveryService()
    {
        var compose = ComposeFile.Load();

        Assert.All(s_services, s => Assert.Contains(s, compose.Services.Keys));
        Assert.All(compose.Services, s => Assert.True(s.Value.ContainsKey("image") || s.Value.ContainsKey("build"), $"{s.Key}: no image"));
    }

    [Fact]
    public void Compose_EveryMountedFile_Exists()
    {
        var compose = ComposeFile.Load();
        var binds = compose.Mounts().Where(m => m.IsBind).ToList();

        Assert.NotEmpty(binds);
        foreach (var mount in binds)
        {
            var source = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, mount.Source));
            if (mount.ReadOnly)
            {
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{mount.Service}: {mount.Source} does not exist");
            }
            else
            {
                // Writable binds are outputs that Docker creates: only the results folder.
                Assert.Equal("./results", mount.Source);
            }
        }
    }

    [Fact]
    public void Compose_Build_UsesTheRepositoryDockerfile()
    {
        var compose = ComposeFile.Load();
        var build = RepositoryFiles.Map(compose.Services["targets"]["build"], "targets.build");
        var context = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, RepositoryFiles.Text(build, "context") ?? ""));
        var dockerfile = Path.Combine(context, RepositoryFiles.Text(build, "dockerfile") ?? "Dockerfile");

        Assert.Equal(RepositoryFiles.Root.TrimEnd('/'), context.TrimEnd('/'));
        Assert.True(File.Exists(dockerfile), $"{dockerfile} does not exist");
        var text = File.ReadAllText(dockerfile);
        Assert.Contains("dotnet publish src/LoadLab.Cli/LoadLab.Cli.csproj", text, StringComparison.Ordinal);
        foreach (Match copy in CopyPattern().Matches(text))
        {
            var path = Path.Combine(RepositoryFiles.Root, copy.Groups["source"].Value);
            Assert.True(File.Exists(path), $"the Dockerfile copies {copy.Groups["source"].Value}, which does not exist");
        }

        Assert.Equal(RepositoryFiles.Text(compose.Services["targets"], "image"), RepositoryFiles.Text(compose.Services["runner"], "image"));
        Assert.Equal(RepositoryFiles.Text(compose.Services["targets"], "image"), RepositoryFiles.Text(compose.Services["chaos-proxy"], "image"));
    }

    [Fact]
    public void Compose_NamedVolumes_AreDeclaredAndUsed()
    {
        var compose = ComposeFile.Load();
        var declared = RepositoryFiles.Map(compose.Root["volumes"], "volumes").Keys.ToHashSet(StringComparer.Ordinal);
        var used = compose.Mounts().Where(m => !m.IsBind).Select(m => m.Source).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(declared);
        Assert.Equal(declared.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
        foreach (var service in new[] { "prometheus", "tempo", "loki", "grafana" })
        {
            Assert.Contains(compose.Mounts(), m => m.Service == service && !m.IsBind);
        }
    }

    [Fact]
    public void Compose_LongRunningServices_HaveHealthChecks()
    {
        var compose = ComposeFile.Load();
        foreach (var (name, service) in compose.Services.Where(s => !s.Value.ContainsKey("profiles")))
        {
            Assert.True(service.ContainsKey("healthcheck"), $"{name} has no healthcheck");
            var test = RepositoryFiles.List(RepositoryFiles.Map(service["healthcheck"], name)["test"], $"{name}.healthcheck.test").OfType<string>().ToList();
            var urls = test.Where(t => t.StartsWith("http://", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(urls);
            foreach (var url in urls)
            {
                var uri = new Uri(url);
                Assert.True(compose.Reaches(name, uri.Host, uri.Port), $"{name}: the health check {url} reaches nothing");
            }
        }
    }

    [Fact]
    public void Compose_Prometheus_ReceivesRemoteWriteAndStoresExemplars()
    {
        var compose = ComposeFile.Load();
        var command = compose.Command("prometheus");
        var config = command.Single(c => c.StartsWith("--config.file=", StringComparison.Ordinal))["--config.file=".Length..];

        Assert.Contains("--web.enable-remote-write-receiver", command);
        Assert.Contains("--enable-feature=exemplar-storage", command);
        Assert.Contains(compose.Mounts(), m => m.Service == "prometheus" && m.Target == config && m.Source == "./dashboards/prometheus/prometheus.yml");
        var prometheusYml = RepositoryFiles.Map(RepositoryFiles.ReadYaml(Path.Combine(RepositoryFiles.PrometheusDirectory, "prometheus.yml")), "prometheus.yml");
        foreach (var ruleFiles in RepositoryFiles.List(prometheusYml["rule_files"], "rule_files").OfType<string>())
        {
            // rule_files are relative to the config file, in the repository as in the container.
            var folder = Path.GetDirectoryName(ruleFiles) ?? "";
            var inContainer = Path.Combine(Path.GetDirectoryName(config) ?? "", folder);
            Assert.Contains(compose.Mounts(), m => m.Service == "prometheus" && m.Target == inContainer && m.Source == "./dashboards/prometheus/" + folder);
        }
    }

    [Fact]
    public void PrometheusYml_EveryScrapeTarget_IsAComposeService()
    {
        var compose = ComposeFile.Load();
        var prometheusYml = RepositoryFiles.Map(RepositoryFiles.ReadYaml(Path.Combine(RepositoryFiles.PrometheusDirectory, "prometheus.yml")), "prometheus.yml");
        var jobs = RepositoryFiles.List(prometheusYml["scrape_configs"], "scrape_configs").Select(j => RepositoryFiles.Map(j, "scrape_config")).ToList();
        var scraped = new HashSet<string>(StringComparer.Ordinal);

        foreach (var job in jobs)
        {
            foreach (var config in RepositoryFiles.List(job["static_configs"], "static_configs").Select(c => RepositoryFiles.Map(c, "static_config")))
            {
                foreach (var target in RepositoryFiles.List(config["targets"], "targets").OfType<string>())
                {
                    var uri = new Uri("http://" + target);
                    Assert.True(compose.Reaches("prometheus", uri.Host, uri.Port), $"job {RepositoryFiles.Text(job, "job_name")}: {target} is no compose service port");
                    scraped.Add(uri.Host is "127.0.0.1" or "localhost" ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : uri.Host);
                }
            }
        }

        // The sample targets (both ports) and the Pushgateway (with honor_labels) are scraped.
        Assert.All(compose.CommandPorts("targets"), p => Assert.Contains(p.ToString(System.Globalization.CultureInfo.InvariantCulture), scraped));
        var pushgateway = jobs.Single(j => RepositoryFiles.Text(j, "job_name") == "pushgateway");
        Assert.True(pushgateway["honor_labels"] is string s && bool.Parse(s), "the pushgateway job needs honor_labels: true");
    }

    [Fact]
    public void Datasources_EveryUrl_IsAComposeServiceSeenFromGrafana()
    {
        var compose = ComposeFile.Load();
        foreach (var datasource in Grafana.GrafanaDatasources.Load())
        {
            var uri = new Uri(datasource.Url);
            Assert.True(compose.Reaches("grafana", uri.Host, uri.Port), $"datasource {datasource.Name}: {datasource.Url} is no compose service port");
        }
    }

    [Fact]
    public void Compose_GrafanaProvisioning_IsMountedWhereGrafanaReadsIt()
    {
        var compose = ComposeFile.Load();
        var grafana = compose.Mounts().Where(m => m.Service == "grafana").ToList();
        foreach (var folder in Directory.GetDirectories(RepositoryFiles.GrafanaProvisioning))
        {
            var name = Path.GetFileName(folder);
            Assert.Contains(grafana, m => m.Source == "./dashboards/grafana/provisioning/" + name && m.Target == "/etc/grafana/provisioning/" + name);
        }

        var providers = RepositoryFiles.Map(RepositoryFiles.ReadYaml(Path.Combine(RepositoryFiles.GrafanaProvisioning, "dashboards", "dashboards.yaml")), "dashboards.yaml");
        foreach (var provider in RepositoryFiles.List(providers["providers"], "providers").Select(p => RepositoryFiles.Map(p, "provider")))
        {
            var path = RepositoryFiles.Text(RepositoryFiles.Map(provider["options"], "options"), "path");
            Assert.Contains(grafana, m => m.Source == "./dashboards/grafana/dashboards" && m.Target == path);
        }

        var environment = RepositoryFiles.Map(compose.Services["grafana"]["environment"], "grafana.environment");
        Assert.Equal("true", RepositoryFiles.Text(environment, "GF_AUTH_ANONYMOUS_ENABLED"));
        Assert.Equal("Viewer", RepositoryFiles.Text(environment, "GF_AUTH_ANONYMOUS_ORG_ROLE"));
    }

    [Fact]
    public void Compose_RunnerOutputs_ReachPrometheusAndTempo()
    {
        var compose = ComposeFile.Load();
        var command = compose.Command("runner");
        var outputs = command.Zip(command.Skip(1)).Where(p => p.First == "--out").Select(p => p.Second.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

        Assert.Equal("run", command[0]);
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, command[1])) || command[1].StartsWith("scenarios/profiles/", StringComparison.Ordinal));
        var remoteWrite = new Uri(outputs["prometheus-rw"]);
        Assert.Equal("/api/v1/write", remoteWrite.AbsolutePath);
        Assert.True(compose.Reaches("runner", remoteWrite.Host, remoteWrite.Port));
        var otlp = new Uri(outputs["otlp"]);
        Assert.True(compose.Reaches("runner", otlp.Host, otlp.Port));
        Assert.Equal("tempo", compose.OwnerOf(otlp.Host));
        // The targets that the profile loads on 127.0.0.1 are in the runner's network namespace.
        Assert.All(compose.CommandPorts("targets"), p => Assert.True(compose.Reaches("runner", "127.0.0.1", p)));
    }

    [Fact]
    public void TempoAndLoki_Configs_AgreeWithCompose()
    {
        var compose = ComposeFile.Load();
        var tempo = File.ReadAllText(Path.Combine(RepositoryFiles.Dashboards, "tempo", "tempo.yaml"));
        var loki = File.ReadAllText(Path.Combine(RepositoryFiles.Dashboards, "loki", "loki.yaml"));

        Assert.Contains("endpoint: 0.0.0.0:4318", tempo, StringComparison.Ordinal);
        Assert.Contains("endpoint: 0.0.0.0:4317", tempo, StringComparison.Ordinal);
        Assert.Contains("http_listen_port: 3200", tempo, StringComparison.Ordinal);
        Assert.Contains("block_retention:", tempo, StringComparison.Ordinal);
        Assert.Contains(4318, compose.ListeningPorts("tempo"));
        Assert.Contains(3200, compose.ListeningPorts("tempo"));
        var remoteWrite = new Uri(RemoteWritePattern().Match(tempo).Groups["url"].Value);
        Assert.True(compose.Reaches("tempo", remoteWrite.Host, remoteWrite.Port));

        Assert.Contains("http_listen_port: 3100", loki, StringComparison.Ordinal);
        Assert.Contains("retention_period:", loki, StringComparison.Ordinal);
        Assert.Contains(3100, compose.ListeningPorts("loki"));
        var environment = RepositoryFiles.Map(compose.Services["targets"]["environment"], "targets.environment");
        foreach (var endpoint in new[] { "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT" })
        {
            var uri = new Uri(RepositoryFiles.Text(environment, endpoint) ?? "");
            Assert.True(compose.Reaches("targets", uri.Host, uri.Port), $"{endpoint}={uri}");
        }
    }

    [Fact]
    public void Compose_PublishedPorts_BindLoopbackOnly()
    {
        var compose = ComposeFile.Load();
        foreach (var (name, service) in compose.Services)
        {
            if (service.TryGetValue("ports", out var ports))
            {
                Assert.All(RepositoryFiles.List(ports, $"{name}.ports").OfType<string>(), p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Compose_EveryPublishedPort_ReachesAListenerOffLoopback()
    {
        // Docker forwards a published port to the container's own address, never to its loopback:
        // a listener bound to 127.0.0.1 inside the namespace cannot be reached from the host.
        var compose = ComposeFile.Load();
        var published = compose.Services.Keys.SelectMany(compose.PublishedPorts).ToList();

        Assert.NotEmpty(published);
        foreach (var port in published)
        {
            var listeners = compose.Members(port.Service).SelectMany(compose.Listeners).Where(l => l.Port == port.ContainerPort).ToList();
            Assert.True(listeners.Count > 0, $"{port.Service} publishes {port.ContainerPort}, on which nothing in its network namespace listens");
            Assert.True(listeners.Any(l => !l.LoopbackOnly), $"{port.Service} publishes {port.ContainerPort}, but {string.Join(", ", listeners.Select(l => l.Service))} listens on loopback only there");
        }
    }

    [Fact]
    public void Compose_LoadLabCommands_AreAcceptedByTheCli()
    {
        var compose = ComposeFile.Load();
        var loadlab = compose.Services.Keys.Where(compose.IsLoadLab).ToList();

        Assert.Equal(["chaos-proxy", "runner", "targets"], loadlab.Order(StringComparer.Ordinal));
        foreach (var service in loadlab)
        {
            var parse = compose.ParseLoadLabCommand(service);
            Assert.True(parse.Errors.Count == 0, $"{service}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [GeneratedRegex(@"^COPY (?!--from)(?<source>\S+\.(?:csproj|json|props)) ", RegexOptions.Multiline)]
    private static partial Regex CopyPattern();

    [GeneratedRegex(@"remote_write:\s*\n\s*- url: (?<url>\S+)")]
    private static partial Regex RemoteWritePattern();
}
