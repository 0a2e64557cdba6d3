namespace LoadLab.Dashboards.Tests.Grafana;

/// <summary>A datasource from dashboards/grafana/provisioning/datasources.</summary>
internal sealed record ProvisionedDatasource(string Name, string Uid, string Type, string Url, Dictionary<string, object?> JsonData);

/// <summary>Reads the provisioned datasources.</summary>
internal static class GrafanaDatasources
{
    /// <summary>Datasources every Grafana has, referred to by these uids.</summary>
    public static readonly IReadOnlySet<string> BuiltInUids = new HashSet<string>(StringComparer.Ordinal)
    {
        "-- Grafana --", "-- Mixed --", "-- Dashboard --", "__expr__", "grafana",
    };

    public static string Directory => Path.Combine(RepositoryFiles.GrafanaProvisioning, "datasources");

    public static IReadOnlyList<ProvisionedDatasource> Load()
    {
        var list = new List<ProvisionedDatasource>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var root = RepositoryFiles.Map(RepositoryFiles.ReadYaml(file), file);
            foreach (var item in RepositoryFiles.List(root["datasources"], file))
            {
                var ds = RepositoryFiles.Map(item, file);
                list.Add(new ProvisionedDatasource(
                    RepositoryFiles.Text(ds, "name") ?? "",
                    RepositoryFiles.Text(ds, "uid") ?? "",
                    RepositoryFiles.Text(ds, "type") ?? "",
                    RepositoryFiles.Text(ds, "url") ?? "",
                    ds.TryGetValue("jsonData", out var jsonData) && jsonData is Dictionary<string, object?> map ? map : []));
            }
        }

        return list;
    }

    public static ProvisionedDatasource ByUid(string uid) =>
        Load().SingleOrDefault(d => d.Uid == uid) ?? throw new InvalidDataException($"no provisioned datasource with uid '{uid}'");
}
