using LoadLab.Compare.Statistics;
using LoadLab.Results;

namespace LoadLab.Compare.Judging;

/// <summary>What a comparison needs of one run, read from a result file or from Prometheus.</summary>
public sealed class RunData
{
    /// <summary>Gets or sets the run id or selector.</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the release label.</summary>
    public string? Release { get; set; }

    /// <summary>Gets or sets where it was read from.</summary>
    public string Location { get; set; } = "";

    /// <summary>Gets or sets the start of the measured run.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Gets or sets the scenarios.</summary>
    public List<ScenarioData> Scenarios { get; set; } = [];

    /// <summary>Gets the reference the report shows.</summary>
    /// <returns>The reference.</returns>
    public Model.RunReference ToReference() => new() { Id = Id, Release = Release, Location = Location, StartedAt = StartedAt };
}

/// <summary>One scenario of a run.</summary>
public sealed class ScenarioData
{
    /// <summary>Gets or sets the name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the response times of successful iterations (microseconds).</summary>
    public Distribution ResponseTime { get; set; } = Distribution.Empty;

    /// <summary>Gets or sets the service times of successful iterations (microseconds), or empty when unknown.</summary>
    public Distribution ServiceTime { get; set; } = Distribution.Empty;

    /// <summary>Gets or sets the successful iterations.</summary>
    public long Ok { get; set; }

    /// <summary>Gets or sets the failed iterations.</summary>
    public long Fail { get; set; }

    /// <summary>Gets or sets the dropped iterations, or null when unknown.</summary>
    public long? Dropped { get; set; }

    /// <summary>Gets or sets the measured duration in seconds, or null when unknown (throughput is then not judged).</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>Gets or sets the checks: name, then (pass, fail).</summary>
    public Dictionary<string, (long Pass, long Fail)> Checks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the business counters: event, outcome, count.</summary>
    public Dictionary<string, Dictionary<string, long>> Business { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the steps.</summary>
    public List<StepData> Steps { get; set; } = [];
}

/// <summary>One step of a scenario.</summary>
public sealed class StepData
{
    /// <summary>Gets or sets the name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the response times of successful requests (microseconds).</summary>
    public Distribution ResponseTime { get; set; } = Distribution.Empty;

    /// <summary>Gets or sets the service times of successful requests (microseconds).</summary>
    public Distribution ServiceTime { get; set; } = Distribution.Empty;

    /// <summary>Gets or sets the successful requests.</summary>
    public long Ok { get; set; }

    /// <summary>Gets or sets the failed requests.</summary>
    public long Fail { get; set; }
}

/// <summary>Reads <see cref="RunData"/> from result files.</summary>
public static class RunDataReader
{
    /// <summary>Reads a result file (or run folder).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The run data.</returns>
    /// <exception cref="ResultFileException">The file cannot be read or has another schema version.</exception>
    /// <exception cref="CompareInputException">The result holds no iterations.</exception>
    public static RunData Read(string path) => FromResult(ResultFile.Read(path), path);

    /// <summary>Converts a result.</summary>
    /// <param name="result">The result.</param>
    /// <param name="location">Where it came from, for messages.</param>
    /// <returns>The run data.</returns>
    /// <exception cref="CompareInputException">The result holds no iterations.</exception>
    public static RunData FromResult(RunResult result, string location)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.SchemaVersion != RunResult.CurrentSchemaVersion)
        {
            throw new CompareInputException($"Result '{location}' has schemaVersion {result.SchemaVersion}; this LoadLab compares schemaVersion {RunResult.CurrentSchemaVersion}.");
        }

        if (result.Scenarios.Sum(s => s.Iterations.Ok + s.Iterations.Fail) == 0)
        {
            throw new CompareInputException($"Result '{location}' (run {result.RunId}) holds no iterations; there is nothing to compare.");
        }

        return new RunData
        {
            Id = result.RunId,
            Release = result.Labels.GetValueOrDefault("release"),
            Location = location,
            StartedAt = result.StartedAt,
            Scenarios = result.Scenarios.Select(s => new ScenarioData
            {
                Name = s.Name,
                ResponseTime = Decode(s.ResponseTime, location, s.Name),
                ServiceTime = Decode(s.ServiceTime, location, s.Name),
                Ok = s.Iterations.Ok,
                Fail = s.Iterations.Fail,
                Dropped = s.Iterations.Dropped,
                DurationSeconds = s.DurationSeconds > 0 ? s.DurationSeconds : (result.DurationSeconds > 0 ? result.DurationSeconds : null),
                Checks = s.Checks.ToDictionary(c => c.Key, c => (c.Value.Pass, c.Value.Fail), StringComparer.Ordinal),
                Business = s.Business.ToDictionary(b => b.Key, b => new Dictionary<string, long>(b.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                Steps = s.Steps.Select(step => new StepData
                {
                    Name = step.Name,
                    ResponseTime = Decode(step.ResponseTime, location, $"{s.Name}/{step.Name}"),
                    ServiceTime = Decode(step.ServiceTime, location, $"{s.Name}/{step.Name}"),
                    Ok = step.Requests.Ok,
                    Fail = step.Requests.Fail,
                }).ToList(),
            }).ToList(),
        };
    }

    private static Distribution Decode(LatencySummary summary, string location, string where)
    {
        try
        {
            return Distribution.FromHistogram(summary.GetHistogram());
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException)
        {
            throw new CompareInputException($"Result '{location}' has an unreadable histogram for '{where}': {e.Message}", e);
        }
    }
}
