using LoadLab.Engine.BuiltIns;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Simulations;

namespace LoadLab.Engine.Tests.Configuration;

public class ProfileLoaderTests
{
    private const string Valid = """
        name: nightly
        labels: { service: api-service, environment: staging, release: "1.4.2" }
        targets: { api: "http://127.0.0.1:5080" }
        scenarios:
          - name: delay
            settings: { latency: "lognormal(5ms, 50ms)", fail_rate: 1%, stall: { every: 5s, for: 1s } }
            warm_up: 2s
            max_concurrency: 50
            load:
              - ramping_inject: { rate: 100, interval: 1s, during: 10s }
              - inject: { rate: 100, interval: 1s, during: 60s }
            thresholds:
              - "p95(response_time) < 300ms"
              - { expr: "error_rate < 5%", window: 30s, abort: true, after: 10s }
          - name: noop
            load:
              - keep_constant: { copies: 2, during: 5s }
        outputs:
          - prometheus-rw: { url: "http://127.0.0.1:9090/api/v1/write", interval: 5s }
          - "otlp=http://127.0.0.1:4318"
        """;

    private static ProfileLoader Loader() => new(new ScenarioCatalog().Add(BuiltInScenarios.Factories));

    private static Profile Load(string yaml, ProfileOverrides? overrides = null) => Loader().LoadText(yaml, "p.yaml", overrides ?? new ProfileOverrides());

    private static string ErrorOf(string yaml, ProfileOverrides? overrides = null) =>
        Assert.Throws<ConfigurationException>(() => Load(yaml, overrides)).Message;

    [Fact]
    public void LoadText_ValidProfile_BindsEverything()
    {
        var p = Load(Valid);
        Assert.Equal("nightly", p.Name);
        Assert.Equal("1.4.2", p.Labels["release"]);
        Assert.Equal(new Uri("http://127.0.0.1:5080"), p.Targets["api"]);
        var delay = p.Scenarios[0];
        Assert.Equal(TimeSpan.FromSeconds(2), delay.WarmUp);
        Assert.Equal(50, delay.MaxConcurrency);
        Assert.IsType<RampingInject>(delay.Simulations[0]);
        Assert.Equal(100, ((Inject)delay.Simulations[1]).Rate);
        Assert.Equal(2, delay.Thresholds.Count);
        Assert.True(delay.Thresholds[1].Abort);
        Assert.Equal(TimeSpan.FromSeconds(30), delay.Thresholds[1].Window);
        Assert.Equal(2, p.Outputs.Count);
        Assert.Equal("http://127.0.0.1:9090/api/v1/write", p.Outputs[0].Argument);
        Assert.Equal("5s", p.Outputs[0].Configuration["interval"]);
        Assert.Equal("otlp", p.Outputs[1].Name);
    }

    [Fact]
    public void LoadText_SetOverride_ByScenarioNameAndIndex_WinsOverTheFile()
    {
        var p = Load(Valid, new ProfileOverrides { Sets = ["scenarios.delay.load.1.inject.rate=200", "labels.release=2.0.0"] });
        Assert.Equal(200, ((Inject)p.Scenarios[0].Simulations[1]).Rate);
        Assert.Equal("2.0.0", p.Labels["release"]);
    }

    [Fact]
    public void LoadText_Precedence_FlagsBeatEnvBeatFile()
    {
        var env = new Dictionary<string, string> { ["LOADLAB_RELEASE"] = "env-release", ["LOADLAB_ENVIRONMENT"] = "env-env" };
        var fromEnv = Load(Valid, new ProfileOverrides { Variables = env });
        Assert.Equal("env-release", fromEnv.Labels["release"]);
        var fromFlag = Load(Valid, new ProfileOverrides { Variables = env, Release = "flag-release" });
        Assert.Equal("flag-release", fromFlag.Labels["release"]);
        Assert.Equal("env-env", fromFlag.Labels["environment"]);
    }

    [Fact]
    public void LoadText_UnknownScenario_NamesLineAndKnownScenarios()
    {
        var msg = ErrorOf("scenarios:\n  - name: brows_catalog\n    load: [ { inject: { rate: 1, interval: 1s, during: 1s } } ]\n");
        Assert.Contains("p.yaml:2:11: scenarios[0].name: unknown scenario 'brows_catalog'; expected one of: delay, noop", msg, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_MalformedDuration_NamesLineColumnAndExpected()
    {
        var msg = ErrorOf("scenarios:\n  - name: noop\n    load:\n      - inject: { rate: 10, interval: 1s, during: 10 seconds }\n");
        Assert.Contains("p.yaml:4:51: scenarios[0].load[0].inject.during: '10 seconds' is not a duration; expected a number with ms, s, m or h", msg, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_NegativeRate_NamesTheField()
    {
        var msg = ErrorOf("scenarios:\n  - name: noop\n    load:\n      - inject: { rate: -5, interval: 1s, during: 10s }\n");
        Assert.True(msg.Contains("p.yaml:4:25: scenarios[0].load[0].inject.rate: must be greater than 0 (got -5).", StringComparison.Ordinal), msg);
    }

    [Fact]
    public void LoadText_BadThreshold_SaysWhatWasExpected()
    {
        var msg = ErrorOf("scenarios:\n  - name: noop\n    load: [ { pause: { during: 1s } } ]\n    thresholds: [ \"p95(response_time) <\" ]\n");
        Assert.Contains("p.yaml:4:19: scenarios[0].thresholds[0]: 'p95(response_time) <' is not a threshold; expected", msg, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_YamlThatDoesNotParse_GivesLineAndColumn()
    {
        var msg = ErrorOf("scenarios:\n  - name: noop\n    load: [ { inject: { rate: 1 }\n");
        Assert.Matches(@"p\.yaml:\d+:\d+: is not valid YAML", msg);
    }

    [Fact]
    public void LoadText_WrongSettingType_NamesSettingAndExpected()
    {
        var msg = ErrorOf("scenarios:\n  - name: delay\n    settings: { fail_rate: often, latency: quick }\n    load: [ { pause: { during: 1s } } ]\n");
        Assert.Contains("scenarios[0].settings.fail_rate: expected a ratio between 0 and 1", msg, StringComparison.Ordinal);
        Assert.Contains("scenarios[0].settings.latency: expected a duration such as 10ms or lognormal", msg, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_SeveralProblems_ReportsAllAtOnce()
    {
        var msg = ErrorOf("scenarios:\n  - name: noop\n    max_concurency: 3\n    load:\n      - inject: { rate: 0, interval: 1s, during: 1s }\n      - jump: { during: 1s }\n");
        Assert.Contains("3 problems", msg, StringComparison.Ordinal);
        Assert.Contains("unknown field 'max_concurency'", msg, StringComparison.Ordinal);
        Assert.Contains("unknown load simulation 'jump'", msg, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_BadTargetUrl_NamesTheTarget()
    {
        var msg = ErrorOf("targets: { api: \"ftp://x\" }\nscenarios:\n  - name: noop\n    load: [ { pause: { during: 1s } } ]\n");
        Assert.Contains("targets.api: 'ftp://x' is not an http(s) URL", msg, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_BadSet_NamesTheFlag()
    {
        var msg = ErrorOf(Valid, new ProfileOverrides { Sets = ["scenarios.missing.load.0.inject.rate=1"] });
        Assert.Contains("--set scenarios.missing.load.0.inject.rate=1: scenarios.missing: no list item 'missing'", msg, StringComparison.Ordinal);
        var typed = ErrorOf(Valid, new ProfileOverrides { Sets = ["scenarios.delay.load.1.inject.rate=fast"] });
        Assert.Contains("--set scenarios.delay.load.1.inject.rate=fast: scenarios[0].load[1].inject.rate: expected a number, got 'fast'", typed, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysItDoesNotExist()
    {
        var e = Assert.Throws<ConfigurationException>(() => Loader().Load("/nonexistent/p.yaml", new ProfileOverrides()));
        Assert.Contains("/nonexistent/p.yaml: does not exist; expected a profile YAML file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("1.5s", 1.5)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("1m30s", 90)]
    public void DurationParser_Parses(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds, 9);
    }
}
