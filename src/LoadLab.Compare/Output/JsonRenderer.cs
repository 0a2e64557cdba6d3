using System.Text.Json;
using System.Text.Json.Serialization;
using LoadLab.Compare.Model;

namespace LoadLab.Compare.Output;

/// <summary>The comparison as JSON (camelCase, the model of <see cref="ComparisonReport"/>).</summary>
public static class JsonRenderer
{
    /// <summary>Gets the serializer options: camelCase, indented, nulls left out.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON.</returns>
    public static string Render(ComparisonReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report written by <see cref="Render"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The report.</returns>
    public static ComparisonReport Parse(string json) => JsonSerializer.Deserialize<ComparisonReport>(json, Options) ?? throw new JsonException("The JSON holds null.");
}
