using System.Text.Json;
using LoadLab.Chaos.Faults;
using LoadLab.Chaos.GameDays;
using LoadLab.Chaos.Proxy;
using LoadLab.Chaos.Tests.Proxy;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Running;
using LoadLab.Http.Scenarios;
using LoadLab.Results;

namespace LoadLab.Chaos.Tests.GameDays;

public sealed class GameDayRunnerTests : IAsyncLifetime
{
    private const string Token = "gameday-admin-token-0123456789";
    private KestrelTarget _service = null!;
    private ChaosProxy _proxy = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _service = await KestrelTarget.StartAsync();
        _proxy = await ChaosProxy.StartAsync(new ChaosProxyOptions { Target = _service.Url.ToString(), Name = "payments", AdminToken = Token }, CancellationToken.None);
        _directory = Path.Combine(Path.GetTempPath(), "loadlab-gameday-" + Guid.NewGuid().ToString("N"));
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _service.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_LatencyWithinTolerance_HypothesisHolds()
    {
        var (spec, run) = Load("{ at: 0s, for: 2s, target: payments, name: payments-slow, latency: 20ms, rate: 0.5 }", healthPath: "/health");

        var outcome = await GameDayRunner.RunAsync(Options(spec, run), CancellationToken.None);

        Assert.Equal(GameDayVerdicts.Steady, outcome.Journal.Verdict);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(outcome.Journal.Deviations);
        Assert.NotNull(outcome.Journal.RecoveredAfterSeconds);
        var window = Assert.Single(outcome.Result.Faults);
        Assert.Equal(("payments-slow", "payments", "latency"), (window.Name, window.Target, window.Kind));
        Assert.True(window.End > window.Start);
        Assert.True(window.Injected > 0);
        Assert.Equal(RunStatus.Passed, outcome.Result.Status);
        Assert.Empty(_proxy.Faults);
        Assert.Contains(outcome.Journal.Timeline, e => e.Event == "steady state confirmed");
        Assert.Contains(outcome.Journal.Observations, o => o.Phase == "during" && o.Requests > 0);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, "journal.md"));
        Assert.Contains("**Verdict: steady**", markdown, StringComparison.Ordinal);
        Assert.Contains("None: every probe held.", markdown, StringComparison.Ordinal);
        Assert.Contains("## Action items", markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "journal.json")));
        Assert.Equal("steady", json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task RunAsync_ServiceUnavailable_RecordsDeviationsAndRecovers()
    {
        var (spec, run) = Load("{ at: 0s, for: 2s, target: payments, name: payments-503, status: { code: 503 }, rate: 1 }", healthPath: "/health", throughAdminApi: true);
        var options = Options(spec, run);
        options.ExtraTargets = [];
        options.Environment = new Dictionary<string, string> { ["GAMEDAY_TOKEN"] = Token };

        var outcome = await GameDayRunner.RunAsync(options, CancellationToken.None);

        Assert.Equal(GameDayVerdicts.Deviated, outcome.Journal.Verdict);
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains(outcome.Journal.Deviations, d => d.Phase == "during" && d.Probe == "errors");
        Assert.NotNull(outcome.Journal.RecoveredAfterSeconds);
        var during = Assert.Single(outcome.Journal.Observations, o => o.Phase == "during");
        var before = Assert.Single(outcome.Journal.Observations, o => o.Phase == "before");
        Assert.True(during.ErrorRate > 0.5, $"error rate during the fault was {during.ErrorRate}");
        Assert.Equal(0, before.ErrorRate);
        Assert.Equal(RunStatus.Failed, outcome.Result.Status);
        Assert.Empty(_proxy.Faults);
        Assert.Equal(_proxy.Metrics.GetInjected("payments-503", "payments"), Assert.Single(outcome.Result.Faults).Injected);
        Assert.True(_proxy.Metrics.GetInjected("payments-503", "payments") > 0);
        var markdown = outcome.Journal.ToMarkdown();
        Assert.Contains("**Verdict: deviated**", markdown, StringComparison.Ordinal);
        Assert.Contains("| during | errors |", markdown, StringComparison.Ordinal);
        Assert.Contains("fault 'payments-503' on 'payments': 503 on 100%", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NotSteadyBefore_AbortsWithoutInjecting()
    {
        var (spec, run) = Load("{ at: 0s, for: 2s, target: payments, name: payments-503, status: { code: 503 }, rate: 1 }", healthPath: "/no-such-endpoint");

        var outcome = await GameDayRunner.RunAsync(Options(spec, run), CancellationToken.None);

        Assert.Equal(GameDayVerdicts.Aborted, outcome.Journal.Verdict);
        Assert.Equal("not steady before the method; nothing was injected", outcome.Journal.AbortReason);
        Assert.Equal(4, outcome.ExitCode);
        Assert.Empty(outcome.Result.Faults);
        Assert.Equal(0, _proxy.Metrics.GetInjected("payments-503", _proxy.Name));
        Assert.Contains(outcome.Journal.Deviations, d => d.Phase == "before" && d.Probe == "health" && d.Observed == "404");
    }

    [Fact]
    public async Task RunAsync_Cancelled_RollsBackAndWritesTheJournal()
    {
        var (spec, run) = Load("{ at: 0s, for: 30s, target: payments, name: payments-reset, abort: true, rate: 0.2 }", healthPath: "/health");
        using var cts = new CancellationTokenSource();
        var options = Options(spec, run);
        var log = new CancelOnWrite("fault 'payments-reset' on 'payments'", cts);
        options.Log = log;

        var outcome = await GameDayRunner.RunAsync(options, cts.Token);

        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal(GameDayVerdicts.Aborted, outcome.Journal.Verdict);
        Assert.Empty(_proxy.Faults);
        var window = Assert.Single(outcome.Result.Faults);
        Assert.NotNull(window.End);
        Assert.Contains(outcome.Journal.Timeline, e => e.Event == "rolled back 1 active fault(s)");
        Assert.True(File.Exists(Path.Combine(_directory, "journal.md")));
        Assert.False(_proxy.Metrics.IsActive("payments-reset", _proxy.Name));
    }

    [Fact]
    public async Task RunAsync_TargetRefusesTheFault_AbortsWritesTheJournalAndThrows()
    {
        var (spec, run) = Load("{ at: 0s, for: 2s, target: payments, name: payments-503, status: { code: 503 }, rate: 1 }", healthPath: "/health", throughAdminApi: true);
        var options = Options(spec, run);
        options.ExtraTargets = [];
        options.Environment = new Dictionary<string, string> { ["GAMEDAY_TOKEN"] = "a-wrong-token-0123456789" };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => GameDayRunner.RunAsync(options, CancellationToken.None));

        Assert.Contains("401", e.InnerException!.Message, StringComparison.Ordinal);
        var journal = await File.ReadAllTextAsync(Path.Combine(_directory, "journal.md"));
        Assert.Contains("**Verdict: aborted** (crashed: The admin API of 'payments' answered 401", journal, StringComparison.Ordinal);
        Assert.Contains("ROLLBACK FAILED on 'payments'", journal, StringComparison.Ordinal);
        Assert.Empty(_proxy.Faults);
    }

    private GameDayRunOptions Options(GameDaySpec spec, RunOptions run) => new()
    {
        Spec = spec,
        Run = run,
        JournalDirectory = _directory,
        ExtraTargets = [new InProcessProxyTarget(_proxy, "payments", owned: false)],
    };

    private (GameDaySpec Spec, RunOptions Run) Load(string action, string healthPath, bool throughAdminApi = false)
    {
        var yaml = $"""
            name: gameday-test
            targets: {"{"} payments: "{_proxy.Url}" {"}"}
            scenarios:
              - name: http
                settings: {"{"} url: "{_proxy.Url}v1/items", timeout: 2s {"}"}
                load:
                  - inject: {"{"} rate: 40, interval: 1s, during: 60s {"}"}
            gameday:
              steady_for: 1s
              probe_interval: 500ms
              recovery: 5s
              targets:
                payments: {(throughAdminApi ? $"{{ admin: \"{_proxy.AdminUrl}\", token_env: GAMEDAY_TOKEN }}" : $"{{ target: \"{_service.Url}\" }}")}
            hypothesis:
              description: Items stay available and fast while payments misbehave.
              probes:
                - {"{"} name: health, http: "{_service.Url.ToString().TrimEnd('/')}{healthPath}", status: 200 {"}"}
                - {"{"} name: errors, stat: error_rate, scenario: http, window: 1s, max: 5% {"}"}
                - {"{"} name: latency, stat: p95, scenario: http, window: 1s, max: 2s {"}"}
            method:
              - {action}
            """;
        var profile = new ProfileLoader(new ScenarioCatalog().Add([new HttpScenarioFactory()])).LoadText(yaml, "gameday.yaml", new ProfileOverrides());
        var spec = GameDayFile.Read(profile);
        var run = new RunOptions { Profile = profile.Name, Scenarios = profile.Scenarios, Labels = profile.Labels };
        return (spec, run);
    }

    private sealed class CancelOnWrite(string trigger, CancellationTokenSource cts) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                cts.Cancel();
            }
        }
    }
}
