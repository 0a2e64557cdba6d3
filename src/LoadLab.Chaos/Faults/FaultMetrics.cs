using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using LoadLab.Metrics;

namespace LoadLab.Chaos.Faults;

/// <summary>
/// The fault metrics of one process, in their own registry: <c>loadlab_fault_active{fault, target}</c> (0/1) and
/// <c>loadlab_faults_injected_total{fault, target}</c>, written in the Prometheus text format.
/// A fault that was active once stays as a series with value 0, so dashboards see it end.
/// </summary>
public sealed class FaultMetrics
{
    private readonly ConcurrentDictionary<(string Fault, string Target), long> _injected = new();
    private readonly ConcurrentDictionary<(string Fault, string Target), bool> _active = new();

    /// <summary>Counts one injection.</summary>
    /// <param name="fault">The fault name.</param>
    /// <param name="target">Where it was injected.</param>
    public void RecordInjected(string fault, string target) =>
        _injected.AddOrUpdate((fault, target), 1, (_, count) => count + 1);

    /// <summary>Sets whether a fault is active.</summary>
    /// <param name="fault">The fault name.</param>
    /// <param name="target">Where it is injected.</param>
    /// <param name="active">Whether it is active.</param>
    public void SetActive(string fault, string target, bool active)
    {
        _active[(fault, target)] = active;
        _injected.TryAdd((fault, target), 0);
    }

    /// <summary>Marks every fault of a target inactive except the given ones, which are marked as given.</summary>
    /// <param name="target">The target.</param>
    /// <param name="active">The faults of the target and whether each is active now.</param>
    public void SetAllActive(string target, IEnumerable<(string Fault, bool Active)> active)
    {
        var now = active.ToDictionary(a => a.Fault, a => a.Active, StringComparer.Ordinal);
        foreach (var key in _active.Keys.Where(k => k.Target == target && !now.ContainsKey(k.Fault)))
        {
            _active[key] = false;
        }

        foreach (var (fault, isActive) in now)
        {
            SetActive(fault, target, isActive);
        }
    }

    /// <summary>Gets how many times a fault was injected.</summary>
    /// <param name="fault">The fault name.</param>
    /// <param name="target">Where it was injected.</param>
    /// <returns>The count.</returns>
    public long GetInjected(string fault, string target) => _injected.TryGetValue((fault, target), out var count) ? count : 0;

    /// <summary>Gets whether a fault is active.</summary>
    /// <param name="fault">The fault name.</param>
    /// <param name="target">Where it is injected.</param>
    /// <returns>True when active.</returns>
    public bool IsActive(string fault, string target) => _active.TryGetValue((fault, target), out var active) && active;

    /// <summary>Writes both metrics in the Prometheus text exposition format (version 0.0.4).</summary>
    /// <returns>The text.</returns>
    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        text.Append("# HELP ").Append(MetricNames.FaultActive).Append(" Whether a fault is active (1) or not (0).\n");
        text.Append("# TYPE ").Append(MetricNames.FaultActive).Append(" gauge\n");
        foreach (var ((fault, target), active) in _active.OrderBy(p => p.Key.Target, StringComparer.Ordinal).ThenBy(p => p.Key.Fault, StringComparer.Ordinal))
        {
            AppendSeries(text, MetricNames.FaultActive, fault, target).Append(active ? '1' : '0').Append('\n');
        }

        text.Append("# HELP ").Append(MetricNames.FaultsInjected).Append(" Faults injected.\n");
        text.Append("# TYPE ").Append(MetricNames.FaultsInjected).Append(" counter\n");
        foreach (var ((fault, target), count) in _injected.OrderBy(p => p.Key.Target, StringComparer.Ordinal).ThenBy(p => p.Key.Fault, StringComparer.Ordinal))
        {
            AppendSeries(text, MetricNames.FaultsInjected, fault, target).Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    private static StringBuilder AppendSeries(StringBuilder text, string name, string fault, string target) =>
        text.Append(name).Append("{fault=\"").Append(Escape(fault)).Append("\",target=\"").Append(Escape(target)).Append("\"} ");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
