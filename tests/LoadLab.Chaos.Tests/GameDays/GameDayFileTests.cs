using LoadLab.Chaos.Faults;
using LoadLab.Chaos.GameDays;
using LoadLab.Engine.Configuration;
using LoadLab.Http.Scenarios;
using LoadLab.Scenarios;

namespace LoadLab.Chaos.Tests.GameDays;

public class GameDayFileTests
{
    private const string Scenarios = """
        name: gd
        scenarios:
          - name: http
            settings: { url: "http://127.0.0.1:1/" }
            load: [ { inject: { rate: 1, interval: 1s, during: 10s } } ]

        """;

    [Fact]
    public void Read_ExamplePaymentsGameDay_HasTheTimelineOfTheIssue()
    {
        var path = Path.Combine(RepositoryRoot(), "scenarios", "profiles", "gameday-payments.yaml");
        var catalog = new ScenarioCatalog().Add(ScenarioLibrary.Factories);
        var profile = new ProfileLoader(catalog).Load(path, new ProfileOverrides());

        var spec = GameDayFile.Read(profile);

        Assert.Equal(2, spec.Method.Count);
        var (slow, unavailable) = (spec.Method[0], spec.Method[1]);
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(60), "payments", FaultKind.Latency, 0.3), (slow.At, slow.For, slow.Target, slow.Fault.Kind, slow.Fault.Rate));
        Assert.Equal(TimeSpan.FromMilliseconds(300), slow.Fault.Latency!.Median);
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), FaultKind.Status, 503, 0.1), (unavailable.At, unavailable.For, unavailable.Fault.Kind, unavailable.Fault.Status!.Code, unavailable.Fault.Rate));
        Assert.Equal(TimeSpan.FromSeconds(15), spec.Recovery);
        Assert.Equal(TimeSpan.FromSeconds(90), spec.MethodLength);
        Assert.Equal(["payments-health", "payment-errors", "payment-p95"], spec.Probes.Select(p => p.Name));
        Assert.Equal(0.05, spec.Probes[1].Max);
        Assert.Equal(1.5, spec.Probes[2].Max);
        var target = Assert.Single(spec.Targets);
        Assert.Equal(new Uri("http://127.0.0.1:8082/"), target.Admin);
        var planned = profile.Scenarios.Single().Simulations.Sum(s => s.Duration!.Value.TotalSeconds);
        Assert.True(planned >= (spec.SteadyFor + spec.MethodLength + spec.Recovery).TotalSeconds);
    }

    [Fact]
    public void Read_BadGameDay_ReportsEveryErrorWithLineAndColumn()
    {
        var yaml = Scenarios + """
            gameday:
              recovery: -5s
              targets:
                payments: { target: "not a url" }
            hypothesis:
              probes:
                - { name: errors, stat: error_ratio, scenario: nope, max: 5% }
                - { name: prom, promql: "up" }
            method:
              - { at: 0s, for: 10s, target: payment, name: slow, latency: 300ms, rate: 1.2 }
              - { at: 5s, target: payments, name: boom, explode: true, rate: 0.1 }
            """;

        var e = Assert.Throws<FaultSpecException>(() => Read(yaml));

        Assert.Equal(
            [
                "gameday.yaml:7:13: gameday.recovery: expected a duration such as 300ms, 5s, 2m or 1h, got '-5s'",
                "gameday.yaml:9:25: gameday.targets.payments.target: expected an absolute http:// or https:// URL such as http://127.0.0.1:5081, got 'not a url'",
                "gameday.yaml:12:29: hypothesis.probes[0].stat: expected one of error_rate, p95, rps, got 'error_ratio'",
                "gameday.yaml:12:52: hypothesis.probes[0].scenario: expected a scenario of this profile (http), got 'nope'",
                "gameday.yaml:13:7: hypothesis.probes[1]: expected a tolerance: max and/or min",
                "gameday.yaml:15:76: method[0].rate: expected a number between 0 and 1, got 1.2",
                "gameday.yaml:15:33: method[0].target: expected a target of gameday.targets (payments), got 'payment'",
                "gameday.yaml:16:45: method[1].explode: unknown fault kind or field 'explode' (expected name, rate, match, window and one of latency, status, abort, hang, outcome)",
                "gameday.yaml:16:5: method[1].kind: expected one fault kind: latency, status, abort, hang, outcome",
                "gameday.yaml:16:5: method[1].for: expected how long the fault lasts, e.g. for: 60s",
            ],
            e.Errors);
    }

    [Fact]
    public void Read_NoGameDaySections_SaysWhatIsMissing()
    {
        var e = Assert.Throws<FaultSpecException>(() => Read(Scenarios));

        Assert.Equal(
            [
                "gameday.yaml:1:1: gameday: expected a 'gameday:' section with targets (the proxies faults go to)",
                "gameday.yaml:1:1: hypothesis: expected a 'hypothesis:' section with probes",
                "gameday.yaml:1:1: method: expected a 'method:' list of fault actions (at, for, target and a fault)",
            ],
            e.Errors);
    }

    private static GameDaySpec Read(string yaml) =>
        GameDayFile.Read(new ProfileLoader(new ScenarioCatalog().Add([new HttpScenarioFactory()])).LoadText(yaml, "gameday.yaml", new ProfileOverrides()));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LoadLab.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LoadLab.sln not found above " + AppContext.BaseDirectory);
    }
}
