using LoadLab.Chaos.Faults;
using Polly;

namespace LoadLab.Chaos.Client;

/// <summary>
/// A <see cref="DelegatingHandler"/> that injects client-side faults into the harness's <see cref="HttpClient"/>
/// (Polly chaos strategies, see <see cref="FaultPipelineBuilderExtensions.AddFaults(ResiliencePipelineBuilder{HttpResponseMessage}, IReadOnlyList{FaultSpec}, FaultPipelineOptions)"/>).
/// </summary>
public sealed class ChaosHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="faults">The faults; validated here.</param>
    /// <param name="options">Randomness, time and metrics; the target defaults to <c>client</c>.</param>
    /// <exception cref="FaultSpecException">A fault is invalid.</exception>
    public ChaosHandler(IReadOnlyList<FaultSpec> faults, FaultPipelineOptions? options = null)
    {
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddFaults(faults, options ?? new FaultPipelineOptions()).Build();
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(FaultContextKeys.Path, request.RequestUri?.AbsolutePath ?? "/");
            context.Properties.Set(FaultContextKeys.Method, request.Method.Method);
            var response = await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Handler.BaseSendAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            if (context.Properties.TryGetValue(FaultContextKeys.ReplaceOutcome, out var replacement))
            {
                // The target did the work; the caller never learns it (a lost response).
                response.Dispose();
                response = FaultResponses.Create(replacement);
            }

            response.RequestMessage ??= request;
            return response;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
