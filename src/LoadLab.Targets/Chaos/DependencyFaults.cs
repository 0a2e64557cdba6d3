using System.Text.Json;
using LoadLab.Targets.Observability;

namespace LoadLab.Targets.Chaos;

/// <summary>The faults switched on for the card-processor dependency (all off by default).</summary>
internal sealed record DependencyFaults(TimeSpan Latency, double LatencyRate, double ErrorRate, bool Outage)
{
    public static readonly DependencyFaults None = new(TimeSpan.Zero, 0, 0, false);

    public bool Any => (Latency > TimeSpan.Zero && LatencyRate > 0) || ErrorRate > 0 || Outage;

    /// <summary>Reads the admin API body: <c>{"latency_ms":300,"latency_rate":0.3,"error_rate":0.1,"outage":false}</c>; absent fields are off.</summary>
    public static DependencyFaults? Parse(JsonElement root, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var latencyMs = Number(root, "latency_ms", 0, 60_000, errors);
        var latencyRate = Number(root, "latency_rate", 0, 1, errors);
        var errorRate = Number(root, "error_rate", 0, 1, errors);
        var outage = false;
        if (root.TryGetProperty("outage", out var o) && o.ValueKind != JsonValueKind.Null)
        {
            if (o.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                outage = o.GetBoolean();
            }
            else
            {
                errors["outage"] = ["Must be true or false."];
            }
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("latency_ms" or "latency_rate" or "error_rate" or "outage"))
            {
                errors[property.Name] = ["Unknown field; expected latency_ms, latency_rate, error_rate or outage."];
            }
        }

        if (latencyRate > 0 && latencyMs == 0 && !errors.ContainsKey("latency_ms"))
        {
            errors["latency_ms"] = ["Must be greater than 0 when latency_rate is set."];
        }

        return errors.Count > 0 ? null : new DependencyFaults(TimeSpan.FromMilliseconds(latencyMs), latencyRate, errorRate, outage);
    }

    private static double Number(JsonElement root, string name, double min, double max, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
        {
            errors[name] = [$"Must be a number from {min} to {max}."];
            return 0;
        }

        return number;
    }
}

/// <summary>The run-time switch behind <c>/admin/dependency-faults</c>; the chaos strategies read it on every call.</summary>
internal sealed class DependencyFaultSwitch
{
    public const string Dependency = "card-processor";

    private readonly ServiceMetrics _metrics;
    private DependencyFaults _current = DependencyFaults.None;

    public DependencyFaultSwitch(ServiceMetrics metrics)
    {
        _metrics = metrics;
        Publish(DependencyFaults.None);
    }

    public DependencyFaults Current => Volatile.Read(ref _current);

    public void Set(DependencyFaults faults)
    {
        Volatile.Write(ref _current, faults);
        Publish(faults);
    }

    private void Publish(DependencyFaults faults)
    {
        _metrics.FaultActive(Dependency, "latency", faults.Latency > TimeSpan.Zero && faults.LatencyRate > 0);
        _metrics.FaultActive(Dependency, "error", faults.ErrorRate > 0);
        _metrics.FaultActive(Dependency, "outage", faults.Outage);
    }
}
