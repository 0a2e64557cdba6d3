using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoadLab.Chaos.GameDays;

/// <summary>The verdicts of a game day.</summary>
public static class GameDayVerdicts
{
    /// <summary>Every probe held before, during and after the method.</summary>
    public const string Steady = "steady";

    /// <summary>Some probe failed while faults were active; the system recovered in time.</summary>
    public const string Deviated = "deviated";

    /// <summary>The probes did not all hold again within the recovery deadline.</summary>
    public const string RecoveredLate = "recovered late";

    /// <summary>The game day stopped early: not steady before the method (nothing injected), Ctrl+C, or a crash.</summary>
    public const string Aborted = "aborted";
}

/// <summary>What happened on a game day: written as journal.json and journal.md.</summary>
public sealed class GameDayJournal
{
    /// <summary>Gets or sets the game day's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the run id of the load.</summary>
    public string RunId { get; set; } = "";

    /// <summary>Gets or sets the hypothesis in words.</summary>
    public string Hypothesis { get; set; } = "";

    /// <summary>Gets or sets the probes and their tolerances.</summary>
    public List<JournalProbe> Probes { get; set; } = [];

    /// <summary>Gets or sets the start (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Gets or sets the end (UTC).</summary>
    public DateTimeOffset EndedAt { get; set; }

    /// <summary>Gets or sets the verdict (see <see cref="GameDayVerdicts"/>).</summary>
    public string Verdict { get; set; } = GameDayVerdicts.Aborted;

    /// <summary>Gets or sets why the game day was aborted, when it was.</summary>
    public string? AbortReason { get; set; }

    /// <summary>Gets or sets the timeline: what happened when.</summary>
    public List<JournalEvent> Timeline { get; set; } = [];

    /// <summary>Gets or sets every probe check.</summary>
    public List<JournalCheck> Checks { get; set; } = [];

    /// <summary>Gets or sets the failed checks during and after the method.</summary>
    public List<JournalCheck> Deviations { get; set; } = [];

    /// <summary>Gets or sets the observations of the load per phase and scenario.</summary>
    public List<PhaseObservation> Observations { get; set; } = [];

    /// <summary>Gets or sets the recovery deadline in seconds.</summary>
    public double RecoveryDeadlineSeconds { get; set; }

    /// <summary>Gets or sets the seconds from the end of the method until every probe held again, if they did.</summary>
    public double? RecoveredAfterSeconds { get; set; }

    /// <summary>Gets or sets the action items the team writes after the day.</summary>
    public List<string> ActionItems { get; set; } = [];

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes journal.json and journal.md into a folder.</summary>
    /// <param name="directory">The folder (created if missing).</param>
    /// <returns>The path of journal.md.</returns>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "journal.json"), JsonSerializer.Serialize(this, JsonOptions));
        var markdown = Path.Combine(directory, "journal.md");
        File.WriteAllText(markdown, ToMarkdown());
        return markdown;
    }

    /// <summary>Renders the journal as Markdown.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("# Game day: ").Append(Name).Append("\n\n");
        md.Append("- Run: `").Append(RunId).Append("`\n");
        md.Append("- From ").Append(Time(StartedAt)).Append(" to ").Append(Time(EndedAt)).Append(" UTC\n");
        md.Append("- **Verdict: ").Append(Verdict).Append("**");
        if (AbortReason is not null)
        {
            md.Append(" (").Append(AbortReason).Append(')');
        }

        md.Append("\n\n## Hypothesis\n\n").Append(string.IsNullOrWhiteSpace(Hypothesis) ? "(none written)" : Hypothesis).Append("\n\n");
        md.Append("| probe | steady when |\n| --- | --- |\n");
        foreach (var probe in Probes)
        {
            md.Append("| ").Append(probe.Name).Append(" | ").Append(probe.Description.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }

        md.Append("\n## Timeline\n\n| time (UTC) | +s | event |\n| --- | ---: | --- |\n");
        foreach (var e in Timeline)
        {
            md.Append("| ").Append(Time(e.At)).Append(" | ").Append(Number(e.Offset)).Append(" | ").Append(e.Event).Append(" |\n");
        }

        md.Append("\n## Observations\n\n| phase | scenario | requests | error rate | p50 | p95 | p99 | throughput |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var o in Observations)
        {
            md.Append("| ").Append(o.Phase).Append(" | ").Append(o.Scenario).Append(" | ").Append(o.Requests)
                .Append(" | ").Append((o.ErrorRate * 100).ToString("0.##", CultureInfo.InvariantCulture)).Append("% | ")
                .Append(Ms(o.P50)).Append(" | ").Append(Ms(o.P95)).Append(" | ").Append(Ms(o.P99)).Append(" | ")
                .Append(o.Throughput.ToString("0.#", CultureInfo.InvariantCulture)).Append("/s |\n");
        }

        md.Append("\n## Steady-state checks\n\n| phase | passed | failed |\n| --- | ---: | ---: |\n");
        foreach (var phase in Checks.GroupBy(c => c.Phase))
        {
            md.Append("| ").Append(phase.Key).Append(" | ").Append(phase.Count(c => c.Passed)).Append(" | ").Append(phase.Count(c => !c.Passed)).Append(" |\n");
        }

        md.Append("\n## Deviations\n\n");
        if (Deviations.Count == 0)
        {
            md.Append("None: every probe held.\n");
        }
        else
        {
            md.Append("| time (UTC) | +s | phase | probe | observed | expected |\n| --- | ---: | --- | --- | --- | --- |\n");
            foreach (var d in Deviations)
            {
                md.Append("| ").Append(Time(d.At)).Append(" | ").Append(Number(d.Offset)).Append(" | ").Append(d.Phase).Append(" | ")
                    .Append(d.Probe).Append(" | ").Append(d.Observed).Append(" | ").Append(d.Expected.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
            }
        }

        md.Append("\n## Recovery\n\n");
        md.Append(RecoveredAfterSeconds is { } after
            ? $"Every probe held again {Number(after)} s after the last fault ended (deadline {Number(RecoveryDeadlineSeconds)} s).\n"
            : Verdict == GameDayVerdicts.Aborted
                ? "Not measured: the game day was aborted.\n"
                : $"The probes did not all hold again within the deadline of {Number(RecoveryDeadlineSeconds)} s.\n");
        md.Append("\n## Action items\n\n");
        if (ActionItems.Count == 0)
        {
            md.Append("- [ ] (write what the team will change, with an owner and a date)\n");
        }

        foreach (var item in ActionItems)
        {
            md.Append("- [ ] ").Append(item).Append('\n');
        }

        return md.ToString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Ms(double seconds) => (seconds * 1000).ToString("0.#", CultureInfo.InvariantCulture) + "ms";
}

/// <summary>A probe as the journal lists it.</summary>
/// <param name="Name">The probe name.</param>
/// <param name="Description">What steady means for it.</param>
public sealed record JournalProbe(string Name, string Description);

/// <summary>One event of the timeline.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Offset">Seconds since the game day started.</param>
/// <param name="Event">What happened.</param>
public sealed record JournalEvent(DateTimeOffset At, double Offset, string Event);

/// <summary>One probe check.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Offset">Seconds since the game day started.</param>
/// <param name="Phase">before, during or after.</param>
/// <param name="Probe">The probe.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Observed">The observed value, formatted.</param>
/// <param name="Expected">The tolerance.</param>
public sealed record JournalCheck(DateTimeOffset At, double Offset, string Phase, string Probe, bool Passed, string Observed, string Expected);

/// <summary>The load in one phase for one scenario.</summary>
/// <param name="Phase">before, during or after.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Requests">Iterations completed.</param>
/// <param name="ErrorRate">Failed share.</param>
/// <param name="P50">Median response time in seconds.</param>
/// <param name="P95">95th percentile in seconds.</param>
/// <param name="P99">99th percentile in seconds.</param>
/// <param name="Throughput">Iterations per second.</param>
public sealed record PhaseObservation(string Phase, string Scenario, long Requests, double ErrorRate, double P50, double P95, double P99, double Throughput);
