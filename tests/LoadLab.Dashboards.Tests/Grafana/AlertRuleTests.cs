using LoadLab.Dashboards.Tests.Prometheus;

namespace LoadLab.Dashboards.Tests.Grafana;

/// <summary>Grafana's provisioned alert rules mirror the Prometheus alerts.</summary>
public sealed class AlertRuleTests
{
    internal static IReadOnlyList<Dictionary<string, object?>> LoadRules()
    {
        var rules = new List<Dictionary<string, object?>>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryFiles.GrafanaProvisioning, "alerting"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var root = RepositoryFiles.Map(RepositoryFiles.ReadYaml(file), file);
            foreach (var group in RepositoryFiles.List(root["groups"], file).Select(g => RepositoryFiles.Map(g, file)))
            {
                Assert.False(string.IsNullOrEmpty(RepositoryFiles.Text(group, "folder")), $"{file}: group without folder");
                rules.AddRange(RepositoryFiles.List(group["rules"], file).Select(r => RepositoryFiles.Map(r, file)));
            }
        }

        return rules;
    }

    internal static IEnumerable<(string Title, string Expr)> PrometheusQueries() =>
        from rule in LoadRules()
        from query in RepositoryFiles.List(rule["data"], "data").Select(d => RepositoryFiles.Map(d, "data"))
        where RepositoryFiles.Text(query, "datasourceUid") != "__expr__"
        select (RepositoryFiles.Text(rule, "title") ?? "", RepositoryFiles.Text(RepositoryFiles.Map(query["model"], "model"), "expr") ?? "");

    [Fact]
    public void GrafanaAlerts_Titles_MatchThePrometheusAlerts()
    {
        var grafana = LoadRules().Select(r => RepositoryFiles.Text(r, "title") ?? "").Order(StringComparer.Ordinal);
        var prometheus = PrometheusRules.Alerts().Select(a => a.Name).Order(StringComparer.Ordinal);

        Assert.Equal(prometheus, grafana);
    }

    [Fact]
    public void GrafanaAlerts_UidsAndReferences_AreConsistent()
    {
        var rules = LoadRules();
        var dashboards = GrafanaDashboard.LoadAll().Select(d => d.Uid).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(rules.Count, rules.Select(r => RepositoryFiles.Text(r, "uid")).Distinct(StringComparer.Ordinal).Count());
        foreach (var rule in rules)
        {
            var title = RepositoryFiles.Text(rule, "title");
            var data = RepositoryFiles.List(rule["data"], $"{title}.data").Select(d => RepositoryFiles.Map(d, $"{title}.data")).ToList();
            var refIds = data.Select(d => RepositoryFiles.Text(d, "refId")).ToHashSet(StringComparer.Ordinal);
            Assert.Contains(RepositoryFiles.Text(rule, "condition"), refIds);
            foreach (var query in data)
            {
                var uid = RepositoryFiles.Text(query, "datasourceUid") ?? "";
                Assert.True(uid == "__expr__" || GrafanaDatasources.ByUid(uid).Type == "prometheus", $"{title}: datasource '{uid}'");
                var model = RepositoryFiles.Map(query["model"], $"{title}.model");
                if (uid == "__expr__")
                {
                    Assert.Contains(RepositoryFiles.Text(model, "expression"), refIds);
                }
            }

            if (RepositoryFiles.Text(rule, "dashboardUid") is { } dashboard)
            {
                Assert.Contains(dashboard, dashboards);
            }

            // Grafana expands $VAR in provisioning files: templates must not use $labels.
            var annotations = RepositoryFiles.Map(rule["annotations"], $"{title}.annotations");
            Assert.All(annotations.Values.OfType<string>(), a => Assert.DoesNotContain("$", a, StringComparison.Ordinal));
        }
    }
}
