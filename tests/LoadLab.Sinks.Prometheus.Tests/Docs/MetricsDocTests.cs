using System.Reflection;
using System.Text.RegularExpressions;
using LoadLab.Metrics;
using LoadLab.Sinks.Prometheus.Exposition;

namespace LoadLab.Sinks.Prometheus.Tests.Docs;

/// <summary>Holds <see cref="MetricNames"/> and docs/metrics.md to each other (STYLE.md: "a test holds the code to that page").</summary>
public partial class MetricsDocTests
{
    private static readonly string s_page = File.ReadAllText(Path.Combine(FindRepositoryRoot(), "docs", "metrics.md"));

    public static TheoryData<string> MetricConstants()
    {
        var data = new TheoryData<string>();
        foreach (var name in Constants())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MetricConstants))]
    public void MetricsPage_EveryMetricName_HasATableRowWithTheTypeItsSuffixImplies(string name)
    {
        var row = TableRows().SingleOrDefault(r => r.Name == name);

        Assert.True(row.Name is not null, $"docs/metrics.md has no table row for {name}");
        var expected = name.EndsWith("_total", StringComparison.Ordinal) ? "counter" : name.EndsWith("_seconds", StringComparison.Ordinal) ? "histogram" : "gauge";
        Assert.Equal(expected, row.Type);
    }

    [Fact]
    public void MetricsPage_EveryDocumentedName_IsAMetricNamesConstant()
    {
        var constants = Constants().ToHashSet(StringComparer.Ordinal);
        var histograms = constants.Where(c => c.EndsWith("_seconds", StringComparison.Ordinal)).ToList();

        foreach (Match match in MetricNameRegex().Matches(s_page))
        {
            var name = match.Value;
            foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            {
                if (name.EndsWith(suffix, StringComparison.Ordinal) && histograms.Contains(name[..^suffix.Length]))
                {
                    name = name[..^suffix.Length];
                }
            }

            Assert.True(constants.Contains(name), $"docs/metrics.md mentions {match.Value}, which is not in MetricNames");
        }

        Assert.Equal(constants.Order(StringComparer.Ordinal), TableRows().Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricsPage_ErrorKinds_AreListedInOrder()
    {
        var listed = string.Join(", ", MetricNames.ErrorKinds.All.Select(k => $"`{k}`"));

        Assert.Contains(listed, s_page.ReplaceLineEndings(" ").Replace(",  ", ", ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsPage_EveryMetricHasHelpTextInTheExposition()
    {
        foreach (var name in Constants())
        {
            Assert.NotEqual(name, MetricHelp.For(name));
        }
    }

    [Fact]
    public void MetricsPage_BucketLayout_MatchesTheCode()
    {
        Assert.Contains($"i = 0 … {HistogramBuckets.Count - 1}", s_page, StringComparison.Ordinal);
        Assert.Contains($"{HistogramBuckets.Count} finite buckets", s_page, StringComparison.Ordinal);
        Assert.Contains(HistogramBuckets.UpperBoundLabels[^1] + ", then `+Inf`", s_page, StringComparison.Ordinal);
        Assert.Contains($"{HistogramBuckets.Count + 3} Prometheus series", s_page, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Constants() =>
        typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => v.StartsWith("loadlab_", StringComparison.Ordinal));

    private static List<(string Name, string Type)> TableRows() =>
        TableRowRegex().Matches(s_page).Select(m => (m.Groups["name"].Value, m.Groups["type"].Value.Trim())).ToList();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LoadLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LoadLab.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"loadlab_[a-z0-9_]+")]
    private static partial Regex MetricNameRegex();

    [GeneratedRegex(@"^\| `(?<name>loadlab_[a-z0-9_]+)` \| (?<type>[a-z]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRowRegex();
}
