using System.Reflection;
using System.Text.Json;
using LoadLab.Results;

namespace LoadLab.Abstractions.Tests.Results;

/// <summary>Holds the result model and docs/result.schema.json to each other.</summary>
public class ResultSchemaTests
{
    private static JsonElement Schema()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoadLab.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(dir!.FullName, "docs", "result.schema.json"))).RootElement;
    }

    private static IEnumerable<string> JsonNames(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static void AssertSame(Type type, JsonElement properties, string where)
    {
        var documented = properties.EnumerateObject().Select(p => p.Name).ToHashSet();
        var model = JsonNames(type).ToHashSet();
        Assert.True(model.SetEquals(documented),
            $"{where}: in the code but not the schema: [{string.Join(", ", model.Except(documented))}]; in the schema but not the code: [{string.Join(", ", documented.Except(model))}]");
    }

    [Fact]
    public void Schema_TopLevel_MatchesRunResult() => AssertSame(typeof(RunResult), Schema().GetProperty("properties"), "result");

    [Fact]
    public void Schema_Scenario_MatchesScenarioResult() =>
        AssertSame(typeof(ScenarioResult), Schema().GetProperty("properties").GetProperty("scenarios").GetProperty("items").GetProperty("properties"), "scenario");

    [Fact]
    public void Schema_Latency_MatchesLatencySummary() =>
        AssertSame(typeof(LatencySummary), Schema().GetProperty("$defs").GetProperty("latency").GetProperty("properties"), "latency");

    [Fact]
    public void Schema_Timeline_MatchesTimelinePoint() =>
        AssertSame(typeof(TimelinePoint), Schema().GetProperty("properties").GetProperty("timeline").GetProperty("items").GetProperty("properties"), "timeline");

    [Fact]
    public void Schema_Threshold_MatchesThresholdResult() =>
        AssertSame(typeof(ThresholdResult), Schema().GetProperty("properties").GetProperty("thresholds").GetProperty("items").GetProperty("properties"), "threshold");
}
