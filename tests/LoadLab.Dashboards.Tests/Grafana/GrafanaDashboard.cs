using System.Text.Json.Nodes;

namespace LoadLab.Dashboards.Tests.Grafana;

/// <summary>A PromQL query of a dashboard: a panel target or an annotation.</summary>
/// <param name="Dashboard">The dashboard's file name.</param>
/// <param name="Title">The panel or annotation title.</param>
/// <param name="RefId">The target's refId (the annotation name for annotations).</param>
/// <param name="Expr">The PromQL, with variables.</param>
/// <param name="Instant">An instant query (tables, stats) rather than a range query.</param>
/// <param name="Exemplar">The panel shows exemplars for this query.</param>
/// <param name="DatasourceUid">The datasource.</param>
/// <param name="Step">The resolution Grafana asks for, when the query sets one (annotations' "step").</param>
internal sealed record DashboardQuery(string Dashboard, string Title, string RefId, string Expr, bool Instant, bool Exemplar, string DatasourceUid, TimeSpan? Step = null)
{
    public override string ToString() => $"{Dashboard} / {Title} / {RefId}";
}

/// <summary>A template variable of a dashboard.</summary>
/// <param name="Name">The name ($name in queries).</param>
/// <param name="Type">The type; the dashboards use "query".</param>
/// <param name="Query">The variable's query, e.g. label_values(metric{...}, label).</param>
/// <param name="AllValue">The value of "All".</param>
/// <param name="IncludeAll">Whether "All" is an option (Grafana's default choice then).</param>
/// <param name="Sort">Grafana's sort: 1/2 alphabetical, 7/8 natural, ascending/descending.</param>
internal sealed record DashboardVariable(string Name, string Type, string Query, string? AllValue, bool IncludeAll, int Sort);

/// <summary>A provisioned dashboard (dashboards/grafana/dashboards/*.json).</summary>
internal sealed class GrafanaDashboard
{
    private GrafanaDashboard(string path, JsonObject json)
    {
        Path = path;
        Json = json;
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    public JsonObject Json { get; }

    public string Uid => Json["uid"]?.GetValue<string>() ?? "";

    public string Title => Json["title"]?.GetValue<string>() ?? "";

    public static IReadOnlyList<GrafanaDashboard> LoadAll() =>
        RepositoryFiles.DashboardFiles.Select(f => new GrafanaDashboard(f, RepositoryFiles.ReadJson(f))).ToList();

    /// <summary>Every panel, rows' nested panels included.</summary>
    public IEnumerable<JsonObject> Panels()
    {
        var stack = new Stack<JsonObject>((Json["panels"]?.AsArray() ?? []).OfType<JsonObject>().Reverse());
        while (stack.Count > 0)
        {
            var panel = stack.Pop();
            yield return panel;
            foreach (var nested in (panel["panels"]?.AsArray() ?? []).OfType<JsonObject>().Reverse())
            {
                stack.Push(nested);
            }
        }
    }

    public IReadOnlyList<DashboardVariable> Variables() =>
        (Json["templating"]?["list"]?.AsArray() ?? []).OfType<JsonObject>().Select(v => new DashboardVariable(
            v["name"]?.GetValue<string>() ?? "",
            v["type"]?.GetValue<string>() ?? "",
            v["query"] switch
            {
                JsonObject q => q["query"]?.GetValue<string>() ?? "",
                JsonValue s => s.GetValue<string>(),
                _ => "",
            },
            v["allValue"]?.GetValue<string>(),
            v["includeAll"]?.GetValue<bool>() ?? false,
            v["sort"]?.GetValue<int>() ?? 0)).ToList();

    /// <summary>The dashboard's annotations, the built-in "Annotations &amp; Alerts" left out.</summary>
    public IEnumerable<JsonObject> Annotations() =>
        (Json["annotations"]?["list"]?.AsArray() ?? []).OfType<JsonObject>().Where(a => a["builtIn"]?.GetValue<int>() != 1);

    public IReadOnlyList<DashboardQuery> Queries()
    {
        var queries = new List<DashboardQuery>();
        foreach (var panel in Panels())
        {
            var title = panel["title"]?.GetValue<string>() ?? "";
            foreach (var target in (panel["targets"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var uid = DatasourceUid(target["datasource"]) ?? DatasourceUid(panel["datasource"]) ?? "";
                queries.Add(new DashboardQuery(
                    FileName,
                    title,
                    target["refId"]?.GetValue<string>() ?? "",
                    target["expr"]?.GetValue<string>() ?? "",
                    target["instant"]?.GetValue<bool>() == true && target["range"]?.GetValue<bool>() != true,
                    target["exemplar"]?.GetValue<bool>() == true,
                    uid));
            }
        }

        foreach (var annotation in Annotations())
        {
            queries.Add(new DashboardQuery(
                FileName,
                "annotation " + annotation["name"]?.GetValue<string>(),
                annotation["name"]?.GetValue<string>() ?? "",
                annotation["expr"]?.GetValue<string>() ?? "",
                Instant: false,
                Exemplar: false,
                DatasourceUid(annotation["datasource"]) ?? "",
                annotation["step"]?.GetValue<string>() is { } step ? ParseStep(step) : null));
        }

        return queries;
    }

    // Grafana's step strings: "5s", "1m", "1h".
    private static TimeSpan ParseStep(string step)
    {
        var value = double.Parse(step[..^1], System.Globalization.CultureInfo.InvariantCulture);
        return step[^1] switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw new InvalidDataException($"unknown step '{step}'"),
        };
    }

    public static string? DatasourceUid(JsonNode? datasource) => datasource switch
    {
        JsonObject o => o["uid"]?.GetValue<string>(),
        JsonValue v => v.GetValue<string>(),
        _ => null,
    };

    /// <summary>Every "datasource" reference anywhere in the dashboard, with its JSON path.</summary>
    public IEnumerable<(string Path, string? Uid, string? Type)> DatasourceReferences()
    {
        var stack = new Stack<JsonNode>();
        stack.Push(Json);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "datasource" && value is not null)
                        {
                            yield return (value.GetPath(), DatasourceUid(value), (value as JsonObject)?["type"]?.GetValue<string>());
                        }
                        else if (value is not null)
                        {
                            stack.Push(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a.OfType<JsonNode>())
                    {
                        stack.Push(item);
                    }

                    break;
            }
        }
    }
}
