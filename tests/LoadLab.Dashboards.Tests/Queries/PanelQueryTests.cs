using LoadLab.Dashboards.Tests.Grafana;
using LoadLab.Dashboards.Tests.Prometheus;
using LoadLab.Metrics;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// Every dashboard query, with its variables substituted, returns data from a real Prometheus that
/// holds the data of two real runs (a `loadlab run` and a `loadlab gameday`, remote write) and the
/// scrapes of the sample targets and the chaos proxy. A panel that shows nothing is a failing test.
/// </summary>
public sealed class PanelQueryTests(FilledPrometheusFixture fixture) : IClassFixture<FilledPrometheusFixture>
{
    public static TheoryData<string, string, string> Queries()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var query in GrafanaDashboard.LoadAll().SelectMany(d => d.Queries()))
        {
            data.Add(query.Dashboard, query.Title, query.RefId);
        }

        return data;
    }

    public static TheoryData<string> Dashboards() => new(GrafanaDashboard.LoadAll().Select(d => d.FileName));

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Variables_EveryVariable_HasOptions(string file)
    {
        var dashboard = GrafanaDashboard.LoadAll().Single(d => d.FileName == file);
        var variables = await fixture.Runner.ResolveVariablesAsync(dashboard);

        Assert.All(variables, v => Assert.True(v.Options.Count > 0, $"{file}: variable {v.Variable.Name} has no options"));
        if (dashboard.Uid == "loadlab-release-comparison")
        {
            var values = variables.ToDictionary(v => v.Variable.Name, v => v.Value, StringComparer.Ordinal);
            Assert.NotEqual(values["baseline"], values["candidate"]);
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Query_WithVariablesSubstituted_ReturnsData(string file, string title, string refId)
    {
        var dashboard = GrafanaDashboard.LoadAll().Single(d => d.FileName == file);
        var query = dashboard.Queries().Single(q => q.Title == title && q.RefId == refId);
        var variables = (await fixture.Runner.ResolveVariablesAsync(dashboard)).ToDictionary(v => v.Variable.Name, v => v.Value, StringComparer.Ordinal);
        var promql = fixture.Runner.Substitute(query.Expr, variables);

        var (series, values) = await fixture.Runner.RunAsync(promql, query.Instant, query.Step);

        Assert.True(series > 0 && values > 0, $"{query}: no data for {promql} (series {series}, numeric values {values})");
    }

    [Fact]
    public async Task ExemplarQueries_Data_CarryTraceIdsOfExportedTraces()
    {
        var received = fixture.Tempo.Spans.Select(s => s.TraceId).ToHashSet(StringComparer.Ordinal);
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var variables = (await fixture.Runner.ResolveVariablesAsync(dashboard)).ToDictionary(v => v.Variable.Name, v => v.Value, StringComparer.Ordinal);
            foreach (var query in dashboard.Queries().Where(q => q.Exemplar))
            {
                var promql = fixture.Runner.Substitute(query.Expr, variables);
                var traceIds = await fixture.Prometheus.QueryExemplarTraceIdsAsync(promql, fixture.Window.Start, fixture.Window.End);

                Assert.True(traceIds.Count > 0, $"{query}: no exemplars with trace_id for {promql}");
                Assert.All(traceIds, id => Assert.Matches("^[0-9a-f]{32}$", id));

                // Grafana links an exemplar to its trace in Tempo: the run exported that trace.
                Assert.All(traceIds, id => Assert.True(received.Contains(id), $"{query}: exemplar trace {id} was never exported"));
            }
        }
    }

    [Fact]
    public async Task PrometheusRules_Expressions_ReturnDataFromTheRuns()
    {
        foreach (var (name, expr) in PrometheusRules.Alerts().Where(a => !a.Expr.Contains("loadlab_release:", StringComparison.Ordinal)))
        {
            // The alert's condition without its comparison: the series it watches exist.
            var condition = PrometheusRules.InlineRecordingRules(expr);
            var watched = condition[..condition.LastIndexOfAny(['>', '<', '='])].TrimEnd('=', ' ', '\n');
            var (series, _) = await fixture.Runner.RunAsync(watched, instant: true);
            Assert.True(series > 0, $"alert {name}: '{watched}' finds no series");
        }
    }

    [Fact]
    public async Task GrafanaAlertQueries_RunAgainstTheRuns()
    {
        foreach (var (title, expr) in AlertRuleTests.PrometheusQueries())
        {
            // Queries on a recording rule's output have no data until the rules run; they must parse.
            var (series, _) = await fixture.Runner.RunAsync(expr, instant: true);
            Assert.True(series > 0 || expr.Contains("loadlab_release:", StringComparison.Ordinal), $"Grafana alert {title}: '{expr}' finds no series");
        }
    }

    [Fact]
    public async Task Fill_HarnessSeries_CarryTheRunLabels()
    {
        // What the runs wrote (remote-written series have no job label); run-level series have no scenario.
        string[] runLevel = [MetricNames.RunPassed, MetricNames.GeneratorCpu];
        var result = await fixture.Prometheus.QueryVectorAsync(
            $"count by (__name__, service, environment, release, run_id, scenario) (last_over_time({{__name__=~\"loadlab_.+\", job=\"\"}}[{fixture.Runner.Range}]))", fixture.Window.End);

        Assert.NotEmpty(result);
        Assert.Equal(["1.4.2", "1.5.0"], result.Select(r => r.Labels.GetValueOrDefault(MetricNames.Labels.Release, "")).Distinct().Order(StringComparer.Ordinal));
        Assert.All(result, r =>
        {
            var name = r.Labels["__name__"];
            var required = runLevel.Contains(name) ? MetricNames.RunLabels : MetricNames.RunLabels.Append(MetricNames.Labels.Scenario);
            Assert.All(required, l => Assert.False(string.IsNullOrEmpty(r.Labels.GetValueOrDefault(l)), $"{name} lacks {l}"));
        });
    }

    [Theory]
    [InlineData("a fault was active (the proxy's /metrics)", "max(max_over_time(loadlab_fault_active{job=\"chaos-proxy\", target=\"api-proxy\"}[$__range]))")]
    [InlineData("the proxy injected faults", "sum(max_over_time(loadlab_faults_injected_total{job=\"chaos-proxy\"}[$__range]))")]
    [InlineData("the 1.4.2 run saw 5xx errors", "sum(last_over_time(loadlab_errors_total{release=\"1.4.2\", kind=\"http_5xx\"}[$__range]))")]
    [InlineData("the 1.5.0 game day saw 5xx errors", "sum(last_over_time(loadlab_errors_total{release=\"1.5.0\", kind=\"http_5xx\"}[$__range]))")]
    [InlineData("payments-service answered 5xx itself", "sum(increase(service_http_requests_total{service=\"payments-service\", code=~\"5..\"}[$__range]))")]
    [InlineData("logins failed", "sum(increase(security_events_total{service=\"api-service\", event=\"login_failed\"}[$__range]))")]
    [InlineData("a threshold failed", "count(min_over_time(loadlab_threshold_passed[$__range]) == 0)")]
    [InlineData("payments were reported as business events", "sum(last_over_time(loadlab_business_events_total{event=\"payment\"}[$__range]))")]
    public async Task Fill_RealRuns_HoldWhatThePanelsAreAbout(string what, string query)
    {
        // Panels returning data could still be all zeros: the runs must have the faults, errors and failed logins they show.
        var promql = fixture.Runner.Substitute(query, new Dictionary<string, string>());
        var value = await fixture.Prometheus.QueryScalarAsync(promql, fixture.Window.End);

        Assert.True(value > 0, $"{what}: {promql} = {value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no data"}");
    }
}
