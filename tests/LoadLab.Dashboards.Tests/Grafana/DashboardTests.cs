using System.Reflection;
using System.Text.RegularExpressions;
using LoadLab.Metrics;

namespace LoadLab.Dashboards.Tests.Grafana;

/// <summary>The dashboards' JSON: uids, datasources, variables, annotations, exemplar links.</summary>
public sealed partial class DashboardTests
{
    private static readonly HashSet<string> s_grafanaVariables = new(StringComparer.Ordinal)
    {
        "__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms", "__tags", "__all",
    };

    [Fact]
    public void Dashboards_RequiredDashboards_ArePresent()
    {
        var uids = GrafanaDashboard.LoadAll().Select(d => d.Uid).ToList();

        Assert.Contains("loadlab-run", uids);
        Assert.Contains("loadlab-release-comparison", uids);
        Assert.Contains("loadlab-gameday", uids);
        Assert.Contains("loadlab-target-services", uids);
    }

    [Fact]
    public void Dashboards_Uids_AreUniqueAndValid()
    {
        var dashboards = GrafanaDashboard.LoadAll();

        Assert.All(dashboards, d => Assert.Matches("^[a-z0-9-]{1,40}$", d.Uid));
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.Uid).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.Title).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Dashboards_PanelIds_AreUniquePerDashboard()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var ids = dashboard.Panels().Select(p => p["id"]?.GetValue<int>()).ToList();

            Assert.DoesNotContain(null, ids);
            Assert.True(ids.Count == ids.Distinct().Count(), $"{dashboard.FileName}: duplicate panel ids");
        }
    }

    [Fact]
    public void Dashboards_EveryDatasourceReference_ExistsInProvisioning()
    {
        var datasources = GrafanaDatasources.Load();
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            foreach (var (path, uid, type) in dashboard.DatasourceReferences())
            {
                Assert.False(uid is null, $"{dashboard.FileName} {path}: a datasource without uid");
                if (GrafanaDatasources.BuiltInUids.Contains(uid))
                {
                    continue;
                }

                var provisioned = datasources.SingleOrDefault(d => d.Uid == uid);
                Assert.True(provisioned is not null, $"{dashboard.FileName} {path}: datasource '{uid}' is not provisioned");
                Assert.True(type is null || type == provisioned.Type, $"{dashboard.FileName} {path}: '{uid}' is a {provisioned.Type}, not a {type}");
            }
        }
    }

    [Fact]
    public void Dashboards_EveryQuery_IsPromQlOnPrometheus()
    {
        foreach (var query in GrafanaDashboard.LoadAll().SelectMany(d => d.Queries()))
        {
            Assert.False(string.IsNullOrWhiteSpace(query.Expr), $"{query}: empty query");
            Assert.Equal("prometheus", GrafanaDatasources.ByUid(query.DatasourceUid).Type);
        }
    }

    [Fact]
    public void Dashboards_EveryVariableUsed_IsDefined()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll())
        {
            var defined = dashboard.Variables().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            var texts = dashboard.Queries().Select(q => q.Expr).Concat(dashboard.Variables().Select(v => v.Query));
            foreach (var text in texts)
            {
                foreach (Match match in VariablePattern().Matches(text))
                {
                    var name = match.Groups["a"].Success ? match.Groups["a"].Value : match.Groups["b"].Value;
                    Assert.True(defined.Contains(name) || s_grafanaVariables.Contains(name), $"{dashboard.FileName}: ${name} in '{text}' is not defined");
                }
            }
        }
    }

    [Fact]
    public void ReleaseComparison_BaselineAndCandidate_AreVariables()
    {
        var comparison = GrafanaDashboard.LoadAll().Single(d => d.Uid == "loadlab-release-comparison");
        var names = comparison.Variables().Select(v => v.Name).ToList();

        Assert.Contains("baseline", names);
        Assert.Contains("candidate", names);
        Assert.Contains(comparison.Queries(), q => q.Expr.Contains("$baseline", StringComparison.Ordinal));
        Assert.Contains(comparison.Queries(), q => q.Expr.Contains("$candidate", StringComparison.Ordinal));
        Assert.Contains(comparison.Panels(), p => p["type"]?.GetValue<string>() == "table");
    }

    [Fact]
    public void Annotations_FaultWindows_QueryPrometheusFaultActive()
    {
        foreach (var dashboard in GrafanaDashboard.LoadAll().Where(d => d.Uid is "loadlab-run" or "loadlab-gameday"))
        {
            var annotations = dashboard.Annotations().ToList();

            Assert.NotEmpty(annotations);
            foreach (var annotation in annotations)
            {
                var uid = GrafanaDashboard.DatasourceUid(annotation["datasource"]) ?? "";
                Assert.Equal("prometheus", GrafanaDatasources.ByUid(uid).Type);
                Assert.Contains(MetricNames.FaultActive, annotation["expr"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void ExemplarQueries_Datasource_LinksTraceIdToTempo()
    {
        var exemplarQueries = GrafanaDashboard.LoadAll().SelectMany(d => d.Queries()).Where(q => q.Exemplar).ToList();

        Assert.NotEmpty(exemplarQueries);
        foreach (var query in exemplarQueries)
        {
            Assert.Contains(MetricNames.ResponseTime, query.Expr, StringComparison.Ordinal);
            var datasource = GrafanaDatasources.ByUid(query.DatasourceUid);
            var destinations = RepositoryFiles.List(datasource.JsonData.GetValueOrDefault("exemplarTraceIdDestinations"), $"{datasource.Name} exemplarTraceIdDestinations");
            var traceId = destinations.Select(d => RepositoryFiles.Map(d, "exemplar destination")).Single(d => RepositoryFiles.Text(d, "name") == "trace_id");
            Assert.Equal("tempo", GrafanaDatasources.ByUid(RepositoryFiles.Text(traceId, "datasourceUid") ?? "").Type);
        }
    }

    [Fact]
    public void Datasources_LinksBetweenThem_PointAtTheRightTypes()
    {
        var datasources = GrafanaDatasources.Load();
        var tempo = datasources.Single(d => d.Type == "tempo");
        var loki = datasources.Single(d => d.Type == "loki");

        Assert.Equal(datasources.Count, datasources.Select(d => d.Uid).Distinct(StringComparer.Ordinal).Count());
        Assert.Single(datasources, d => d.Type == "prometheus");
        Assert.Equal("prometheus", LinkedType(tempo, "tracesToMetrics"));
        Assert.Equal("prometheus", LinkedType(tempo, "serviceMap"));
        Assert.Equal("loki", LinkedType(tempo, "tracesToLogsV2"));
        var tracesToMetrics = RepositoryFiles.Map(tempo.JsonData["tracesToMetrics"], "tracesToMetrics");
        Assert.NotEmpty(RepositoryFiles.List(tracesToMetrics["queries"], "tracesToMetrics.queries"));
        var derived = RepositoryFiles.List(loki.JsonData["derivedFields"], "derivedFields").Select(f => RepositoryFiles.Map(f, "derivedField")).ToList();
        Assert.NotEmpty(derived);
        Assert.All(derived, f => Assert.Equal("tempo", GrafanaDatasources.ByUid(RepositoryFiles.Text(f, "datasourceUid") ?? "").Type));
    }

    [Fact]
    public void Dashboards_TogetherShow_EveryContractMetric()
    {
        var queries = string.Join('\n', GrafanaDashboard.LoadAll().SelectMany(d => d.Queries()).Select(q => q.Expr));
        var harness = typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
        string[] services = ["service_http_requests_total", "service_http_request_duration_seconds", "payments_total", "security_events_total"];

        Assert.All(harness.Concat(services), metric => Assert.Contains(metric, queries, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\$(?:\{(?<a>\w+)(?::\w+)?\}|(?<b>\w+))")]
    private static partial Regex VariablePattern();

    private static string LinkedType(ProvisionedDatasource datasource, string key) =>
        GrafanaDatasources.ByUid(RepositoryFiles.Text(RepositoryFiles.Map(datasource.JsonData[key], key), "datasourceUid") ?? "").Type;
}
