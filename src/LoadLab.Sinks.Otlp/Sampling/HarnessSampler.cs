using OpenTelemetry.Trace;

namespace LoadLab.Sinks.Otlp.Sampling;

/// <summary>
/// The head decision: a root (iteration) is sampled for <see cref="Fraction"/> of trace ids (the same hash as
/// <see cref="TraceIdRatioBasedSampler"/>), which sets the W3C sampled flag that the HTTP layer propagates to the
/// target. Unsampled roots are still recorded (<see cref="SamplingDecision.RecordOnly"/>, flag off), and so are their
/// children, so that <see cref="TailExportProcessor"/> can export failed and slow iterations afterwards.
/// </summary>
internal sealed class HarnessSampler : Sampler
{
    private readonly Sampler _ratio;

    public HarnessSampler(double fraction)
    {
        Fraction = fraction;
        _ratio = new TraceIdRatioBasedSampler(fraction);
        Description = $"LoadLabHarnessSampler{{{fraction}}}";
    }

    public double Fraction { get; }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default)
        {
            // A child follows its parent: sampled stays sampled, recorded-only stays recorded-only.
            return new SamplingResult(
                (parent.TraceFlags & System.Diagnostics.ActivityTraceFlags.Recorded) != 0 ? SamplingDecision.RecordAndSample : SamplingDecision.RecordOnly);
        }

        var head = _ratio.ShouldSample(samplingParameters).Decision;
        return new SamplingResult(head == SamplingDecision.RecordAndSample ? SamplingDecision.RecordAndSample : SamplingDecision.RecordOnly);
    }
}
