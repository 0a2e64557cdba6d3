using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LoadLab.Dashboards.Tests.Grafana;
using LoadLab.TestUtils.Servers;

namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>
/// Runs dashboard queries the way Grafana does: variables resolved from their own queries (the
/// first option in the variable's sort order, or the All value when the variable has one),
/// Grafana's interval variables substituted for the dashboard's time range, range queries over
/// the window and instant queries at its end.
/// </summary>
internal sealed partial class PanelQueryRunner(PrometheusServer prometheus, DataWindow window)
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(15);

    public string Range => ((long)(window.End - window.Start).TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>Each variable's options, in the order Grafana resolves them.</summary>
    public async Task<IReadOnlyList<(DashboardVariable Variable, IReadOnlyList<string> Options, string Value)>> ResolveVariablesAsync(GrafanaDashboard dashboard)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var resolved = new List<(DashboardVariable, IReadOnlyList<string>, string)>();
        foreach (var variable in dashboard.Variables())
        {
            var match = LabelValuesPattern().Match(variable.Query);
            if (variable.Type != "query" || !match.Success)
            {
                throw new InvalidDataException($"{dashboard.FileName}: variable {variable.Name} is not a label_values query: '{variable.Query}'");
            }

            var selector = Substitute(match.Groups["selector"].Value, values);
            var label = match.Groups["label"].Value;
            var result = await prometheus.QueryVectorAsync($"count by ({label}) (last_over_time({selector}[{Range}]))", window.End);
            var options = Sort(result.Select(r => r.Labels.GetValueOrDefault(label, "")).Where(v => v.Length > 0), variable.Sort);
            var value = options.Count == 0 ? "" : variable.IncludeAll ? variable.AllValue ?? string.Join('|', options) : options[0];
            values[variable.Name] = value;
            resolved.Add((variable, options, value));
        }

        return resolved;
    }

    public string Substitute(string expr, IReadOnlyDictionary<string, string> variables)
    {
        var text = expr
            .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("$__range_s", Range.TrimEnd('s'), StringComparison.Ordinal)
            .Replace("$__range", Range, StringComparison.Ordinal);
        return VariablePattern().Replace(text, m =>
        {
            var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value;
            return variables.TryGetValue(name, out var value) ? value : m.Value;
        });
    }

    /// <summary>Runs the query and returns the series it found and how many of their values are numbers.</summary>
    /// <param name="promql">The query, variables substituted.</param>
    /// <param name="instant">An instant query at the window's end, else a range query over the window.</param>
    /// <param name="step">The range query's resolution when the dashboard sets one (annotations), else 15 s.</param>
    public async Task<(int Series, int Values)> RunAsync(string promql, bool instant, TimeSpan? step = null)
    {
        var result = instant
            ? await prometheus.QueryAsync(promql, window.End)
            : await prometheus.QueryRangeAsync(promql, window.Start, window.End, step ?? s_step);
        if (result.ValueKind != JsonValueKind.Array)
        {
            return (1, 1); // A scalar.
        }

        var values = 0;
        foreach (var series in result.EnumerateArray())
        {
            var points = instant ? [series.GetProperty("value")] : series.GetProperty("values").EnumerateArray().ToList();
            values += points.Count(p => double.TryParse(p[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v));
        }

        return (result.GetArrayLength(), values);
    }

    // Grafana's variable sort: 1/2 alphabetical, 7/8 natural ("1.10" after "1.9"); odd ascending.
    internal static IReadOnlyList<string> Sort(IEnumerable<string> options, int sort)
    {
        IComparer<string> comparer = sort is 7 or 8 ? Comparer<string>.Create(NaturalCompare) : StringComparer.Ordinal;
        var sorted = options.Distinct(StringComparer.Ordinal).Order(comparer).ToList();
        if (sort is 2 or 4 or 6 or 8)
        {
            sorted.Reverse();
        }

        return sorted;
    }

    private static int NaturalCompare(string? x, string? y)
    {
        var a = NaturalChunks().Matches(x ?? "");
        var b = NaturalChunks().Matches(y ?? "");
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var (p, q) = (a[i].Value, b[i].Value);
            var c = char.IsAsciiDigit(p[0]) && char.IsAsciiDigit(q[0])
                ? decimal.Parse(p, CultureInfo.InvariantCulture).CompareTo(decimal.Parse(q, CultureInfo.InvariantCulture))
                : string.CompareOrdinal(p, q);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    [GeneratedRegex(@"\d+|\D+")]
    private static partial Regex NaturalChunks();

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*(?<label>\w+)\)$")]
    private static partial Regex LabelValuesPattern();

    [GeneratedRegex(@"\$(?:\{(?<a>\w+)(?::\w+)?\}|(?<b>\w+))")]
    private static partial Regex VariablePattern();
}
