using LoadLab.Dashboards.Tests.Grafana;
using LoadLab.Dashboards.Tests.Prometheus;
using LoadLab.Metrics;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// Every dashboard query, with its variables substituted, returns data from a real Prometheus that
/// holds two runs' data. A panel that shows nothing is a failing test.
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

        var (series, values) = await fixture.Runner.RunAsync(promql, query.Instant);

        Assert.True(series > 0 && values > 0, $"{query}: no data for {promql} (series {series}, numeric values {values})");
    }

    [Fact]
    public async Task ExemplarQueries_Data_CarryTraceIds()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var variables = (await fixture.Runner.ResolveVariablesAsync(dashboard)).ToDictionary(v => v.Variable.Name, v => v.Value, StringComparer.Ordinal);
            foreach (var query in dashboard.Queries().Where(q => q.Exemplar))
            {
                var promql = fixture.Runner.Substitute(query.Expr, variables);
                var traceIds = await fixture.Prometheus.QueryExemplarTraceIdsAsync(promql, fixture.Window.Start, fixture.Window.End);

                Assert.True(traceIds.Count > 0, $"{query}: no exemplars with trace_id for {promql}");
                Assert.All(traceIds, id => Assert.Matches("^[0-9a-f]{32}$", id));
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
        var result = await fixture.Prometheus.QueryVectorAsync($"count by (__name__, service, environment, release, run_id, scenario) ({{__name__=~\"loadlab_.+\"}})", fixture.Window.End);

        Assert.NotEmpty(result);
        Assert.All(result, r => Assert.All(MetricNames.RunLabels.Append(MetricNames.Labels.Scenario), l => Assert.False(string.IsNullOrEmpty(r.Labels.GetValueOrDefault(l)), $"{r.Labels["__name__"]} lacks {l}")));
    }
}
