using System.CommandLine;
using System.Management.Automation.Language;
using System.Net;
using System.Text.RegularExpressions;
using LoadLab.Chaos.GameDays;
using LoadLab.Chaos.Proxy;
using LoadLab.Cli;
using LoadLab.Dashboards.Tests.Queries;
using LoadLab.Engine.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LoadLab.Dashboards.Tests.Compose;

/// <summary>
/// The stack's chaos proxy, checked statically like the rest of docker-compose.yml: it runs the
/// LoadLab image with a command the CLI accepts, in front of a sample target; the host reaches its
/// published port; Prometheus scrapes its fault series where its admin API listens; its admin token
/// comes from the environment; and the stack's game day (run.ps1's default) loads it and switches
/// its faults from the runner container.
/// </summary>
public sealed partial class ChaosProxyComposeTests
{
    private const string Proxy = "chaos-proxy";
    private const string TokenVariable = "LOADLAB_ADMIN_TOKEN";

    [Fact]
    public void ChaosProxy_RunsTheLoadLabProxy_InFrontOfASampleTarget()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);

        Assert.Equal(RepositoryFiles.Text(compose.Services["targets"], "image"), RepositoryFiles.Text(compose.Services[Proxy], "image"));
        Assert.Equal("proxy", proxy.Parse.CommandResult.Command.Name);
        var target = new Uri(proxy.Parse.GetValue<string>("--target") ?? "");
        var behind = compose.Listener(Proxy, target.Host, target.Port);
        Assert.True(behind is not null, $"--target {target} reaches nothing from {Proxy}");
        Assert.Equal("targets", behind.Service);
    }

    [Fact]
    public void ChaosProxy_Listens_AsTheCliAllows()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);

        // `loadlab proxy` refuses a non-loopback --listen without --allow-remote, and any non-loopback --admin-listen.
        Assert.True(IPAddress.IsLoopback(proxy.Listen.Address) || proxy.Parse.GetValue<bool>("--allow-remote"), $"--listen {proxy.Listen} needs --allow-remote");
        Assert.True(IPAddress.IsLoopback(proxy.Admin.Address), $"--admin-listen {proxy.Admin}: the CLI keeps the admin API on loopback");
        Assert.NotEqual(proxy.Listen.Port, proxy.Admin.Port);
        Assert.Equal(
            [(proxy.Listen.Port, IPAddress.IsLoopback(proxy.Listen.Address)), (proxy.Admin.Port, true)],
            compose.CommandListeners(Proxy).Select(l => (l.Port, l.LoopbackOnly)));
    }

    [Fact]
    public void ChaosProxy_PublishesItsListenPortOnHostLoopback_AndNotItsAdminApi()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);
        var published = compose.PublishedPorts(compose.OwnerOf(Proxy));

        // The proxy shares a namespace (network_mode: service:X): X publishes its ports.
        var port = Assert.Single(published, p => p.ContainerPort == proxy.Listen.Port);
        Assert.Equal("127.0.0.1", port.HostIp);
        Assert.False(IPAddress.IsLoopback(proxy.Listen.Address), $"--listen {proxy.Listen}: a published port never reaches a loopback listener");
        Assert.DoesNotContain(published, p => p.ContainerPort == proxy.Admin.Port);
        Assert.Empty(compose.PublishedPorts(Proxy));
    }

    [Fact]
    public void ChaosProxy_HasAHealthCheckOnItsAdminApi()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);
        var test = RepositoryFiles.List(RepositoryFiles.Map(compose.Services[Proxy]["healthcheck"], Proxy)["test"], "test").OfType<string>().ToList();

        var url = new Uri(Assert.Single(test, t => t.StartsWith("http://", StringComparison.Ordinal)));
        Assert.Equal((Proxy, proxy.Admin.Port), compose.Listener(Proxy, url.Host, url.Port) is { } l ? (l.Service, l.Port) : default);
        Assert.Equal("/metrics", url.AbsolutePath);
    }

    [Fact]
    public void PrometheusYml_ScrapesTheChaosProxy_WhereItsMetricsListen()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);
        var prometheusYml = RepositoryFiles.Map(RepositoryFiles.ReadYaml(Path.Combine(RepositoryFiles.PrometheusDirectory, "prometheus.yml")), "prometheus.yml");
        var jobs = RepositoryFiles.List(prometheusYml["scrape_configs"], "scrape_configs").Select(j => RepositoryFiles.Map(j, "scrape_config")).ToList();

        // The job the dashboards' real-fill test scrapes the proxy as (LoadLabRunData).
        var job = Assert.Single(jobs, j => RepositoryFiles.Text(j, "job_name") == LoadLabRunData.ProxyJob);
        Assert.Equal("/metrics", RepositoryFiles.Text(job, "metrics_path") ?? "/metrics");
        var targets = RepositoryFiles.List(job["static_configs"], "static_configs")
            .SelectMany(c => RepositoryFiles.List(RepositoryFiles.Map(c, "static_config")["targets"], "targets").OfType<string>())
            .ToList();
        Assert.NotEmpty(targets);
        foreach (var target in targets)
        {
            var uri = new Uri("http://" + target);
            var listener = compose.Listener("prometheus", uri.Host, uri.Port);
            Assert.True(listener is not null, $"job {LoadLabRunData.ProxyJob}: {target} reaches nothing from prometheus");
            Assert.Equal((Proxy, proxy.Admin.Port), (listener.Service, listener.Port));
        }

        // No other job scrapes the proxy, so each fault series is stored once.
        Assert.DoesNotContain(
            jobs.Where(j => j != job).SelectMany(j => RepositoryFiles.List(j["static_configs"], "static_configs"))
                .SelectMany(c => RepositoryFiles.List(RepositoryFiles.Map(c, "static_config")["targets"], "targets").OfType<string>()),
            t => new Uri("http://" + t) is var u && compose.Listener("prometheus", u.Host, u.Port)?.Service == Proxy);
    }

    [Fact]
    public void ChaosProxy_AdminToken_ComesFromTheEnvironment()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);
        var token = proxy.Parse.GetValue<string>("--admin-token") ?? "";

        // ${LOADLAB_ADMIN_TOKEN:?message}: compose stops with the message when it is unset, so no
        // token is in the repository and the proxy never starts with a generated one nobody knows.
        Assert.Matches(RequiredVariable(), token);
        Assert.Equal(TokenVariable, RequiredVariable().Match(token).Groups["name"].Value);
        var runner = RepositoryFiles.Map(compose.Services["runner"]["environment"], "runner.environment");
        Assert.Equal(token, RepositoryFiles.Text(runner, TokenVariable));

        // run.ps1 keeps a generated token in .env, which git ignores.
        var ignored = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, ".gitignore")).Select(l => l.Trim());
        Assert.Contains(".env", ignored);
    }

    [Fact]
    public void RunScript_EveryComposeCall_FirstProvidesTheAdminToken()
    {
        // docker compose interpolates ${LOADLAB_ADMIN_TOKEN:?...} on every call, down included.
        var script = RunScript.RunScript.Parse();
        var initialize = Assert.Single(script.Ast.FindAll(a => a is FunctionDefinitionAst f && f.Name == "Initialize-AdminToken", searchNestedScriptBlocks: true).Cast<FunctionDefinitionAst>());
        Assert.Contains($"$env:{TokenVariable}", initialize.Body.Extent.Text, StringComparison.Ordinal);
        Assert.Contains($"'.env'", initialize.Body.Extent.Text, StringComparison.Ordinal);
        Assert.Contains($"\"{TokenVariable}=$token\"", initialize.Body.Extent.Text, StringComparison.Ordinal);

        var clauses = script.Clauses();
        var composing = clauses.Where(c => c.Value.FindAll(a => a is CommandAst x && x.GetCommandName() is "Invoke-Docker" or "Invoke-Runner", true).Any()).ToList();
        Assert.Equal(["down", "gameday", "up"], composing.Select(c => c.Key).Order(StringComparer.Ordinal));
        foreach (var (name, body) in composing)
        {
            var first = body.FindAll(a => a is CommandAst, true).Cast<CommandAst>().First();
            Assert.True(first.GetCommandName() == "Initialize-AdminToken", $"run.ps1 {name} calls {first.GetCommandName()} before Initialize-AdminToken");
        }
    }

    [Fact]
    public void GameDay_OfTheStack_LoadsTheChaosProxyAndSwitchesItsFaultsFromTheRunner()
    {
        var compose = ComposeFile.Load();
        var proxy = ProxyCommand.Read(compose);
        var path = RunScript.RunScript.Parse().DefaultValue("GameDay");
        var catalog = new ServiceCollection().AddLoadLabCli().BuildServiceProvider().GetRequiredService<ScenarioCatalog>();
        var profile = new ProfileLoader(catalog).Load(Path.Combine(RepositoryFiles.Root, path), new ProfileOverrides());
        var spec = GameDayFile.Read(profile);

        // The runner runs it from /loadlab with ./scenarios/profiles mounted at the same relative path.
        Assert.StartsWith("scenarios/profiles/", path, StringComparison.Ordinal);
        Assert.Contains(compose.Mounts(), m => m.Service == "runner" && m.Source == "./scenarios/profiles" && m.Target == "/loadlab/scenarios/profiles");
        Assert.Equal("/loadlab", DockerfileWorkdir());

        // Faults: through the running proxy's admin API (not a proxy the day would start inside the
        // runner, which Prometheus would not scrape), with the stack's token.
        var target = Assert.Single(spec.Targets);
        Assert.Null(target.Target);
        Assert.NotNull(target.Admin);
        var admin = compose.Listener("runner", target.Admin.Host, target.Admin.Port);
        Assert.True(admin is not null, $"gameday.targets.{target.Name}.admin {target.Admin} reaches nothing from the runner");
        Assert.Equal((Proxy, proxy.Admin.Port), (admin.Service, admin.Port));
        Assert.Equal(TokenVariable, target.TokenEnv);
        Assert.True(RepositoryFiles.Map(compose.Services["runner"]["environment"], "runner.environment").ContainsKey(TokenVariable));
        Assert.NotEmpty(spec.Method);
        Assert.All(spec.Method, a => Assert.Equal(target.Name, a.Target));

        // The fault series' target label (the proxy's --name) is the name the game day and its journal use.
        Assert.Equal(target.Name, proxy.Parse.GetValue<string>("--name"));

        // The load goes through the proxy, so its faults reach it.
        Assert.NotEmpty(profile.Targets);
        foreach (var (name, url) in profile.Targets)
        {
            var listener = compose.Listener("runner", url.Host, url.Port);
            Assert.True(listener is not null, $"targets.{name} {url} reaches nothing from the runner");
            Assert.Equal((Proxy, proxy.Listen.Port), (listener.Service, listener.Port));
        }

        // The run's live metrics reach Prometheus (the game-day dashboard's hypothesis panels), its traces Tempo.
        var remoteWrite = new Uri(Assert.Single(profile.Outputs, o => o.Name == "prometheus-rw").Argument ?? "");
        Assert.Equal("/api/v1/write", remoteWrite.AbsolutePath);
        Assert.Equal("prometheus", compose.Listener("runner", remoteWrite.Host, remoteWrite.Port)?.Service);
        Assert.All(profile.Outputs.Where(o => o.Name == "otlp"), o => Assert.Equal("tempo", compose.Listener("runner", new Uri(o.Argument ?? "").Host, new Uri(o.Argument ?? "").Port)?.Service));
        if (spec.Prometheus is { } prometheus)
        {
            Assert.Equal("prometheus", compose.Listener("runner", prometheus.Host, prometheus.Port)?.Service);
        }

        Assert.All(spec.Probes.Where(p => p.Url is not null), p => Assert.True(compose.Reaches("runner", p.Url!.Host, p.Url.Port), $"probe {p.Name}: {p.Url} reaches nothing from the runner"));
    }

    [Fact]
    public void RunScript_GameDay_RunsInTheRunnerContainer()
    {
        var script = RunScript.RunScript.Parse();
        var gameday = script.Clauses()["gameday"];

        var call = Assert.Single(gameday.FindAll(a => a is CommandAst c && c.GetCommandName() == "Invoke-Runner", true).Cast<CommandAst>());
        Assert.Equal("gameday", Assert.IsType<StringConstantExpressionAst>(call.CommandElements[1]).Value);
        Assert.Empty(gameday.FindAll(a => a is CommandAst c && c.GetCommandName() == "Invoke-LoadLab", true));
        // --results is the runner's ./results mount.
        var results = call.CommandElements.OfType<StringConstantExpressionAst>().Select(s => s.Value).SkipWhile(v => v != "--results").Skip(1).First();
        Assert.Contains(ComposeFile.Load().Mounts(), m => m.Service == "runner" && m.Source == "./results" && m.Target == results && !m.ReadOnly);

        var runner = Assert.Single(script.Ast.FindAll(a => a is FunctionDefinitionAst f && f.Name == "Invoke-Runner", true).Cast<FunctionDefinitionAst>());
        var docker = Assert.Single(runner.Body.FindAll(a => a is CommandAst c && c.GetCommandName() == "docker", true).Cast<CommandAst>());
        var words = docker.CommandElements.Skip(1).Select(e => e is StringConstantExpressionAst s ? s.Value : e.Extent.Text).ToList();
        Assert.Equal(["compose", "run", "--rm"], words.Take(3));
        Assert.Equal("runner", words.SkipWhile(w => w != "runner").First());
        Assert.Equal("@args", words[^1]);
    }

    private static string DockerfileWorkdir()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "deploy", "docker", "Dockerfile"));
        var final = Array.FindLastIndex(dockerfile, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        return dockerfile.Skip(final).Last(l => l.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..].Trim();
    }

    [GeneratedRegex(@"^\$\{(?<name>[A-Z_][A-Z0-9_]*):\?[^}]+\}$")]
    private static partial Regex RequiredVariable();

    /// <summary>The chaos-proxy service's command, as the real CLI parses it.</summary>
    private sealed record ProxyCommand(ParseResult Parse, IPEndPoint Listen, IPEndPoint Admin)
    {
        public static ProxyCommand Read(ComposeFile compose)
        {
            Assert.Contains(Proxy, compose.Services.Keys);
            var parse = compose.ParseLoadLabCommand(Proxy);
            Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
            var listeners = compose.CommandListeners(Proxy);
            Assert.Equal(2, listeners.Count);
            var listen = ChaosProxyOptions.TryParseListen(parse.GetValue<string>("--listen"), out var l, out _) ? l! : throw new InvalidDataException("--listen");
            var adminText = parse.GetValue<string>("--admin-listen");
            var admin = adminText is null
                ? new IPEndPoint(IPAddress.Loopback, listen.Port + 1)
                : ChaosProxyOptions.TryParseListen(adminText, out var a, out _) ? a! : throw new InvalidDataException("--admin-listen");
            return new ProxyCommand(parse, listen, admin);
        }
    }
}
