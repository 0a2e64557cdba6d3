using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;
using LoadLab.Scenarios.Common;

namespace LoadLab.Scenarios.Payments;

/// <summary>The <c>payment_flow</c> scenario of the library (target <c>payments</c>).</summary>
internal sealed class PaymentFlowFactory : IScenarioFactory
{
    public const string ScenarioName = "payment_flow";

    public string Name => ScenarioName;

    public string Description => "Customers pay: authorize with an Idempotency-Key (and retry it), capture, refund a share (payments-service).";

    public IReadOnlyList<ScenarioSetting> Settings { get; } =
    [
        new("decline_share", "ratio", "0.08", "Share of payments with a card the processor declines (insufficient funds, fraud)."),
        new("token_share", "ratio", "0.3", "Share of payments with a card token instead of a card number."),
        new("retry_share", "ratio", "0.2", "Share of authorizations retried with the same Idempotency-Key (must return the same payment)."),
        new("capture_share", "ratio", "0.9", "Share of approved payments captured."),
        new("refund_share", "ratio", "0.1", "Share of captured payments refunded (half of them partly)."),
        new("verify_share", "ratio", "0.1", "Share of payments read back at the end (status must match)."),
        new("think_time", "duration", "0ms", "Mean pause between steps."),
        new("think_jitter", "ratio", "0.5", "Spread of the pause around the mean."),
        .. LibraryHttp.Settings,
    ];

    public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context)
    {
        var options = ReadOptions(settings, context);
        return LibraryHttp.Scenario(ScenarioName, settings, client => new PaymentFlow(client, options), (flow, ctx) => flow.RunAsync(ctx));
    }

    internal static PaymentFlowOptions ReadOptions(ScenarioSettings settings, ScenarioFactoryContext context) => new()
    {
        PaymentsUrl = LibraryHttp.Target(settings, context, "payments"),
        DeclineShare = settings.GetRatio("decline_share", 0.08),
        TokenShare = settings.GetRatio("token_share", 0.3),
        RetryShare = settings.GetRatio("retry_share", 0.2),
        CaptureShare = settings.GetRatio("capture_share", 0.9),
        RefundShare = settings.GetRatio("refund_share", 0.1),
        VerifyShare = settings.GetRatio("verify_share", 0.1),
        ThinkTime = new ThinkTime(LibraryHttp.NonNegativeDuration(settings, "think_time", TimeSpan.Zero), settings.GetRatio("think_jitter", 0.5)),
    };
}
