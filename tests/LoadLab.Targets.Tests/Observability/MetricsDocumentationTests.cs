using System.Net.Http.Headers;

namespace LoadLab.Targets.Tests.Observability;

/// <summary>Holds docs/targets.md to what /metrics really exposes.</summary>
public class MetricsDocumentationTests
{
    [Fact]
    public async Task Metrics_EveryExposedFamily_IsDocumentedWithItsLabels()
    {
        var doc = await File.ReadAllTextAsync(FindDoc());
        await using var host = await TestTargets.StartAsync(TestTargets.Options());
        using var api = TestTargets.Client(host.ApiUrl);
        using var payments = TestTargets.Client(host.PaymentsUrl);
        (await api.GetAsync("/v1/items")).Dispose();
        await TestTargets.PostAsync(payments, "/v1/payments", TestTargets.Payment());
        using (var admin = new HttpRequestMessage(HttpMethod.Delete, "/admin/dependency-faults"))
        {
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTargets.AdminToken);
            (await payments.SendAsync(admin)).Dispose();
        }

        var exposition = await api.GetStringAsync("/metrics") + "\n" + await payments.GetStringAsync("/metrics");
        var families = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            {
                if (name.EndsWith(suffix, StringComparison.Ordinal) && exposition.Contains($"# TYPE {name[..^suffix.Length]} histogram", StringComparison.Ordinal))
                {
                    name = name[..^suffix.Length];
                }
            }

            var labels = families.TryGetValue(name, out var set) ? set : families[name] = new HashSet<string>(StringComparer.Ordinal);
            if (brace >= 0)
            {
                foreach (var pair in line[(brace + 1)..line.IndexOf('}', StringComparison.Ordinal)].Split(','))
                {
                    labels.Add(pair[..pair.IndexOf('=', StringComparison.Ordinal)]);
                }
            }
        }

        Assert.Equal(8, families.Count);
        foreach (var (name, labels) in families)
        {
            var row = doc.Split('\n').SingleOrDefault(l => l.StartsWith($"| `{name}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/targets.md has no metrics row for {name}");
            foreach (var label in labels.Where(l => l != "le"))
            {
                Assert.True(row.Contains($"`{label}`", StringComparison.Ordinal), $"docs/targets.md does not list label {label} of {name}");
            }
        }
    }

    private static string FindDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "targets.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/targets.md not found above " + AppContext.BaseDirectory);
    }
}
