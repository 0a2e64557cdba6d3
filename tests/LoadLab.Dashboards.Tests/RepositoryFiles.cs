using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace LoadLab.Dashboards.Tests;

/// <summary>Paths of the stack's files in the repository, and readers for them.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string Dashboards => Path.Combine(Root, "dashboards");

    public static string PrometheusDirectory => Path.Combine(Dashboards, "prometheus");

    public static string GrafanaDashboards => Path.Combine(Dashboards, "grafana", "dashboards");

    public static string GrafanaProvisioning => Path.Combine(Dashboards, "grafana", "provisioning");

    public static string Compose => Path.Combine(Root, "docker-compose.yml");

    public static string RunScript => Path.Combine(Root, "run.ps1");

    public static IReadOnlyList<string> DashboardFiles =>
        Directory.GetFiles(GrafanaDashboards, "*.json").Order(StringComparer.Ordinal).ToList();

    public static string Relative(string path) => Path.GetRelativePath(Root, path);

    /// <summary>Reads YAML into dictionaries (string keys), lists and strings.</summary>
    public static object ReadYaml(string path)
    {
        var deserializer = new DeserializerBuilder().Build();
        using var reader = new StreamReader(path);
        return Normalize(deserializer.Deserialize(reader))
            ?? throw new InvalidDataException($"{Relative(path)} is empty");
    }

    public static JsonObject ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{Relative(path)} is empty");

    public static Dictionary<string, object?> Map(object? node, string what) =>
        node as Dictionary<string, object?> ?? throw new InvalidDataException($"{what}: expected a mapping, got {node?.GetType().Name ?? "nothing"}");

    public static List<object?> List(object? node, string what) =>
        node as List<object?> ?? throw new InvalidDataException($"{what}: expected a list, got {node?.GetType().Name ?? "nothing"}");

    public static string? Text(Dictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var value) ? value as string : null;

    private static object? Normalize(object? node) => node switch
    {
        Dictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", p => Normalize(p.Value), StringComparer.Ordinal),
        List<object?> list => list.Select(Normalize).ToList(),
        _ => node,
    };

    // From the test binaries (artifacts/ sits in the repository), else from this source file.
    private static string FindRoot() =>
        FindRootAbove(AppContext.BaseDirectory) ?? FindRootAbove(Path.GetDirectoryName(SourceFile()) ?? "")
            ?? throw new InvalidOperationException($"LoadLab.sln not found above {AppContext.BaseDirectory}");

    private static string? FindRootAbove(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LoadLab.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
