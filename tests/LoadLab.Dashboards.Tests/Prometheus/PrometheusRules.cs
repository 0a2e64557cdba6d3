namespace LoadLab.Dashboards.Tests.Prometheus;

/// <summary>The alerting and recording rules of dashboards/prometheus/rules.</summary>
internal static class PrometheusRules
{
    public static IEnumerable<(string Name, string Expr)> Alerts() =>
        Rules().Where(r => r.ContainsKey("alert")).Select(r => (RepositoryFiles.Text(r, "alert") ?? "", RepositoryFiles.Text(r, "expr") ?? ""));

    public static IEnumerable<string> RecordingRules() =>
        Rules().Where(r => r.ContainsKey("record")).Select(r => RepositoryFiles.Text(r, "record") ?? "");

    /// <summary>An expression with every recorded series replaced by the expression that records it.</summary>
    public static string InlineRecordingRules(string expr)
    {
        var recorded = Rules().Where(r => r.ContainsKey("record"))
            .Select(r => (Name: RepositoryFiles.Text(r, "record") ?? "", Expr: (RepositoryFiles.Text(r, "expr") ?? "").Trim()))
            .OrderByDescending(r => r.Name.Length);
        foreach (var (name, recordExpr) in recorded)
        {
            expr = expr.Replace(name, "(" + recordExpr + ")", StringComparison.Ordinal);
        }

        return expr;
    }

    private static IEnumerable<Dictionary<string, object?>> Rules()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryFiles.PrometheusDirectory, "rules"), "*.yml").Order(StringComparer.Ordinal))
        {
            var root = RepositoryFiles.Map(RepositoryFiles.ReadYaml(file), file);
            foreach (var group in RepositoryFiles.List(root["groups"], file).Select(g => RepositoryFiles.Map(g, file)))
            {
                foreach (var rule in RepositoryFiles.List(group["rules"], file))
                {
                    yield return RepositoryFiles.Map(rule, file);
                }
            }
        }
    }
}
