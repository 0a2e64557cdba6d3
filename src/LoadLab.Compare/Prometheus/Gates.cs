using System.Globalization;
using System.Text;
using LoadLab.Compare.Configuration;
using YamlDotNet.RepresentationModel;

namespace LoadLab.Compare.Prometheus;

/// <summary>What a gate does when its query returns no series.</summary>
public enum NoDataPolicy
{
    /// <summary>No data fails the gate (the safe default: a gate that sees nothing proves nothing).</summary>
    Fail,

    /// <summary>No data passes the gate.</summary>
    Pass,
}

/// <summary>One PromQL gate: every series the query returns must be at most <see cref="Max"/> and at least <see cref="Min"/>.</summary>
public sealed class GateSpec
{
    /// <summary>Gets or sets the display name; the query when not set.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the PromQL query.</summary>
    public string Query { get; set; } = "";

    /// <summary>Gets or sets the upper bound (inclusive).</summary>
    public double? Max { get; set; }

    /// <summary>Gets or sets the lower bound (inclusive).</summary>
    public double? Min { get; set; }

    /// <summary>Gets or sets this gate's no-data policy, or null for the command's.</summary>
    public NoDataPolicy? NoData { get; set; }
}

/// <summary>The outcome of one series of one gate.</summary>
public sealed class GateRow
{
    /// <summary>Gets or sets the gate name or query.</summary>
    public string Gate { get; set; } = "";

    /// <summary>Gets or sets the series labels, as {a="b"}, or empty.</summary>
    public string Series { get; set; } = "";

    /// <summary>Gets or sets the value, or null for no data.</summary>
    public double? Value { get; set; }

    /// <summary>Gets or sets the bound, e.g. "&lt;= 0.3".</summary>
    public string Bound { get; set; } = "";

    /// <summary>Gets or sets the verdict: pass, fail, no data (pass), no data (fail), error.</summary>
    public string Verdict { get; set; } = "";

    /// <summary>Gets or sets a value indicating whether this row passed.</summary>
    public bool Passed { get; set; }

    /// <summary>Gets or sets the error text for a query Prometheus rejected.</summary>
    public string? Error { get; set; }
}

/// <summary>The outcome of all gates.</summary>
public sealed class GateReport
{
    /// <summary>Gets the rows.</summary>
    public List<GateRow> Rows { get; } = [];

    /// <summary>Gets a value indicating whether a query failed (exit 2).</summary>
    public bool HasErrors => Rows.Any(r => r.Error is not null);

    /// <summary>Gets a value indicating whether every gate passed (exit 0).</summary>
    public bool Passed => Rows.All(r => r.Passed);

    /// <summary>Gets the exit code: 0 passed, 4 failed, 2 a query error or an unreachable Prometheus.</summary>
    public int ExitCode => HasErrors ? CompareExitCodes.InvalidInput : Passed ? CompareExitCodes.Success : CompareExitCodes.Failed;

    /// <summary>Renders the table of query, series, value, bound and verdict.</summary>
    /// <returns>The text.</returns>
    public string RenderTable()
    {
        var header = new[] { "gate", "series", "value", "bound", "verdict" };
        var rows = Rows.Select(r => new[]
        {
            r.Gate,
            r.Series,
            r.Value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : (r.Error is null ? "no data" : "-"),
            r.Bound,
            r.Verdict,
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        rows.ForEach(Line);
        foreach (var r in Rows.Where(r => r.Error is not null))
        {
            sb.Append("error: ").AppendLine(r.Error);
        }

        var failed = Rows.Count(r => !r.Passed);
        sb.AppendLine(HasErrors ? "Gate: ERROR (a query failed)" : Passed ? $"Gate: PASS ({Rows.Count} checked)" : $"Gate: FAIL ({failed} of {Rows.Count} failed)");
        return sb.ToString();
    }
}

/// <summary>Exit codes of compare and gate (the values of LoadLab.Cli.ExitCodes, which this project cannot reference).</summary>
public static class CompareExitCodes
{
    /// <summary>Passed.</summary>
    public const int Success = 0;

    /// <summary>Invalid input, an unreachable Prometheus or a query error.</summary>
    public const int InvalidInput = 2;

    /// <summary>The gate failed or the comparison found a regression.</summary>
    public const int Failed = 4;

    /// <summary>The comparison was marginal.</summary>
    public const int Marginal = 5;

    /// <summary>Maps a verdict to its exit code.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>0, 5 or 4.</returns>
    public static int For(Model.Verdict verdict) => verdict switch
    {
        Model.Verdict.Pass => Success,
        Model.Verdict.Marginal => Marginal,
        _ => Failed,
    };
}

/// <summary>Runs PromQL gates against Prometheus.</summary>
public static class GateRunner
{
    /// <summary>Evaluates the gates (instant queries at <paramref name="time"/>, or now).</summary>
    /// <param name="client">The client.</param>
    /// <param name="gates">The gates.</param>
    /// <param name="noData">The default no-data policy.</param>
    /// <param name="time">The evaluation time, or null for now.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>The report. Query errors become rows with <see cref="GateRow.Error"/>; an unreachable Prometheus throws.</returns>
    /// <exception cref="PrometheusQueryException">Prometheus cannot be reached.</exception>
    public static async Task<GateReport> RunAsync(PrometheusClient client, IReadOnlyList<GateSpec> gates, NoDataPolicy noData, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(gates);
        var report = new GateReport();
        foreach (var gate in gates)
        {
            var name = gate.Name ?? gate.Query;
            var bound = string.Join(" and ", new[] { gate.Min is { } min ? ">= " + min.ToString("G6", CultureInfo.InvariantCulture) : null, gate.Max is { } max ? "<= " + max.ToString("G6", CultureInfo.InvariantCulture) : null }.OfType<string>());
            IReadOnlyList<PrometheusSample> samples;
            try
            {
                samples = await client.QueryAsync(gate.Query, time, cancellationToken).ConfigureAwait(false);
            }
            catch (PrometheusQueryException e) when (e.InnerException is null)
            {
                // Prometheus answered but rejected the query: report it and go on with the other gates.
                report.Rows.Add(new GateRow { Gate = name, Bound = bound, Verdict = "error", Passed = false, Error = e.Message });
                continue;
            }

            var policy = gate.NoData ?? noData;
            if (samples.Count == 0)
            {
                var pass = policy == NoDataPolicy.Pass;
                report.Rows.Add(new GateRow { Gate = name, Bound = bound, Verdict = pass ? "no data (pass)" : "no data (fail)", Passed = pass });
                continue;
            }

            foreach (var sample in samples)
            {
                var v = sample.Value;
                var ok = !double.IsNaN(v) && (gate.Max is not { } mx || v <= mx) && (gate.Min is not { } mn || v >= mn);
                report.Rows.Add(new GateRow
                {
                    Gate = name,
                    Series = sample.Labels.Count == 0 ? "" : "{" + string.Join(", ", sample.Labels.Where(l => l.Key != "__name__").Select(l => $"{l.Key}=\"{l.Value}\"")) + "}",
                    Value = v,
                    Bound = bound,
                    Verdict = double.IsNaN(v) ? "fail (NaN)" : ok ? "pass" : "fail",
                    Passed = ok,
                });
            }
        }

        return report;
    }

    /// <summary>Reads a gates file: <c>gates: [ { name, query, max | min, no_data } ]</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The gates.</returns>
    /// <exception cref="CompareInputException">The file is missing or invalid (file, line, field).</exception>
    public static IReadOnlyList<GateSpec> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompareInputException($"Gates file '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses a gates file.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="path">The file name for messages.</param>
    /// <returns>The gates.</returns>
    /// <exception cref="CompareInputException">The text is invalid.</exception>
    public static IReadOnlyList<GateSpec> Parse(string yaml, string path)
    {
        var reader = new YamlReading(path, "Gates file");
        var root = YamlReading.LoadRoot(yaml, path, "Gates file") ?? throw new CompareInputException($"Gates file '{path}' is empty; expected 'gates:' with a list of {{ query, max | min }}.");
        var list = new List<GateSpec>();
        foreach (var (k, v) in reader.Mapping(root, "(root)").Children)
        {
            if (reader.Key(k) != "gates")
            {
                throw reader.Unknown(k, reader.Key(k), "gates");
            }

            if (v is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                throw reader.Error(v, "gates", "a non-empty list of { name, query, max | min, no_data }");
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var node = sequence.Children[i];
                var field = $"gates[{i}]";
                var gate = new GateSpec();
                foreach (var (gk, gv) in reader.Mapping(node, field).Children)
                {
                    var key = reader.Key(gk);
                    var name = $"{field}.{key}";
                    switch (key)
                    {
                        case "name": gate.Name = reader.Scalar(gv, name); break;
                        case "query": gate.Query = reader.Scalar(gv, name); break;
                        case "max": gate.Max = reader.Number(gv, name, double.MinValue, double.MaxValue); break;
                        case "min": gate.Min = reader.Number(gv, name, double.MinValue, double.MaxValue); break;
                        case "no_data": gate.NoData = reader.OneOf(gv, name, "fail", "pass") == "pass" ? NoDataPolicy.Pass : NoDataPolicy.Fail; break;
                        default: throw reader.Unknown(gk, name, "name, query, max, min, no_data");
                    }
                }

                if (gate.Query.Length == 0)
                {
                    throw reader.Error(node, $"{field}.query", "a PromQL query");
                }

                if (gate.Max is null && gate.Min is null)
                {
                    throw reader.Error(node, field, "a bound: max, min or both");
                }

                list.Add(gate);
            }
        }

        if (list.Count == 0)
        {
            throw new CompareInputException($"Gates file '{path}' has no gates; expected 'gates:' with a list of {{ query, max | min }}.");
        }

        return list;
    }
}
