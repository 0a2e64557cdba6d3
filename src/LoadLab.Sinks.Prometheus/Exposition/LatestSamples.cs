using LoadLab.Metrics;

namespace LoadLab.Sinks.Prometheus.Exposition;

/// <summary>
/// The current value of every series seen so far (name + labels), so that a partial snapshot (e.g. final samples
/// that only carry <c>loadlab_run_passed</c>) updates the state instead of replacing it. Not thread-safe.
/// </summary>
internal sealed class LatestSamples
{
    private readonly Dictionary<(string Name, LabelSet Labels), int> _index = [];
    private readonly List<MetricSample> _samples = [];

    public int Count => _samples.Count;

    public void Update(IEnumerable<MetricSample> samples)
    {
        foreach (var sample in samples)
        {
            var key = (sample.Name, sample.Labels);
            if (_index.TryGetValue(key, out var i))
            {
                _samples[i] = sample;
            }
            else
            {
                _index[key] = _samples.Count;
                _samples.Add(sample);
            }
        }
    }

    public MetricSample[] ToArray() => [.. _samples];
}
