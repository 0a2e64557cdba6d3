using System.Globalization;
using Bogus;
using LoadLab.Engine.Scenarios;
using LoadLab.Http;
using LoadLab.Scenarios.Common;
// Inside LoadLab.* namespaces 'Http' names the LoadLab.Http namespace, so the class gets an alias.
using HttpApi = LoadLab.Http.Http;

namespace LoadLab.Scenarios.Payments;

/// <summary>Options of <see cref="PaymentFlow"/>.</summary>
public sealed class PaymentFlowOptions
{
    /// <summary>Gets or sets the payments-service base URL.</summary>
    /// <value>Must be an absolute http(s) URL.</value>
    public Uri PaymentsUrl { get; set; } = new("http://127.0.0.1:5081/");

    /// <summary>Gets or sets the share of payments made with a card the processor declines (insufficient funds or fraud).</summary>
    /// <value>Defaults to <c>0.08</c>.</value>
    public double DeclineShare { get; set; } = 0.08;

    /// <summary>Gets or sets the share of payments made with a card token instead of a card number.</summary>
    /// <value>Defaults to <c>0.3</c>.</value>
    public double TokenShare { get; set; } = 0.3;

    /// <summary>Gets or sets the share of authorizations retried with the same Idempotency-Key (the answer must match).</summary>
    /// <value>Defaults to <c>0.2</c>.</value>
    public double RetryShare { get; set; } = 0.2;

    /// <summary>Gets or sets the share of approved payments that are captured.</summary>
    /// <value>Defaults to <c>0.9</c>.</value>
    public double CaptureShare { get; set; } = 0.9;

    /// <summary>Gets or sets the share of captured payments that are refunded (half of them partly).</summary>
    /// <value>Defaults to <c>0.1</c>.</value>
    public double RefundShare { get; set; } = 0.1;

    /// <summary>Gets or sets the share of payments read back at the end (GET /v1/payments/{id}, status must match).</summary>
    /// <value>Defaults to <c>0.1</c>.</value>
    public double VerifyShare { get; set; } = 0.1;

    /// <summary>Gets or sets the pause between the steps (a shopper, then the merchant's back office).</summary>
    /// <value>Defaults to none.</value>
    public ThinkTime ThinkTime { get; set; } = ThinkTime.None;
}

/// <summary>
/// A customer pays at a merchant on payments-service: authorize (POST /v1/payments with an Idempotency-Key),
/// sometimes retry the authorize with the same key (the answer must be the same payment), capture most
/// approved payments, refund a share, and read some back. Customers come from Bogus seeded with
/// <see cref="IScenarioContext.Seed"/>, cards are Luhn-valid test cards, amounts and currencies follow
/// <see cref="PaymentMix"/>. Business counter: payment approved|declined|failed. Steps: authorize,
/// authorize_retry, capture, refund, get_payment. Card numbers never appear in a message, a check or a log.
/// </summary>
public sealed class PaymentFlow
{
    private static readonly HttpCheck s_created = HttpCheck.Status(201);
    private static readonly HttpCheck s_hasId = HttpCheck.JsonField("id");
    private static readonly HttpCheck s_replayed = HttpCheck.Header("Idempotent-Replayed", "true");
    private static readonly HttpCheck s_captured = HttpCheck.JsonField("status", "captured");
    private static readonly string[] s_refundReasons = ["requested_by_customer", "duplicate", "product_not_received", "damaged"];
    private readonly HttpClient _client;
    private readonly PaymentFlowOptions _options;
    private readonly Uri _payments;

    // Idempotency keys must be unique per run even when the seed repeats a run's data against the same
    // (durable) payments database; otherwise a rerun would be answered with the old payments.
    private readonly string _runNonce = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Initializes a new instance of the <see cref="PaymentFlow"/> class.</summary>
    /// <param name="client">The shared client.</param>
    /// <param name="options">The options.</param>
    public PaymentFlow(HttpClient client, PaymentFlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _payments = new Uri(options.PaymentsUrl, "v1/payments");
    }

    /// <summary>Runs one payment.</summary>
    /// <param name="ctx">The iteration.</param>
    /// <returns>Ok (a decline is a business outcome, not an error), or the first failed step.</returns>
    public async Task<Response> RunAsync(IScenarioContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var random = ctx.Random;
        var faker = new Faker { Random = new Randomizer(ctx.Seed) };
        var body = NewPayment(faker, random);
        var key = $"{_runNonce}-{ctx.IterationNumber.ToString(CultureInfo.InvariantCulture)}-{faker.Random.AlphaNumeric(8)}";

        var authorize = await Step.Run("authorize", ctx, () => HttpApi.Send(_client, AuthorizeRequest(body, key), ctx)).ConfigureAwait(false);
        if (authorize.IsError)
        {
            ctx.Metrics.Count("payment", "failed");
            return authorize;
        }

        var payment = authorize.Payload!;
        var id = payment.GetJsonText("id")!;
        var status = payment.GetJsonText("status");
        var approved = status == "authorized";
        ctx.Metrics.Count("payment", approved ? "approved" : status == "declined" ? "declined" : "failed");
        ctx.Check("payment authorized or declined", approved || status == "declined");

        if (random.NextDouble() < _options.RetryShare)
        {
            // The client "lost" the answer and retries: same key, same body, same payment back.
            var retry = await Step.Run("authorize_retry", ctx, () => HttpApi.Send(_client, AuthorizeRequest(body, key).WithCheck(s_replayed), ctx)).ConfigureAwait(false);
            if (retry.IsError)
            {
                return retry;
            }

            var same = retry.Payload!.GetJsonText("id") == id && retry.Payload.GetJsonText("status") == status && retry.Payload.GetJsonText("amount") == payment.GetJsonText("amount");
            if (!ctx.Check("idempotent retry returns the same payment", same))
            {
                return Response.Fail("201", "the idempotent retry returned another payment", errorKind: LoadLab.Metrics.MetricNames.ErrorKinds.CheckFailed);
            }
        }

        var expected = status;
        var paymentUrl = _payments + "/" + Uri.EscapeDataString(id);
        if (approved && random.NextDouble() < _options.CaptureShare)
        {
            await _options.ThinkTime.WaitAsync(ctx).ConfigureAwait(false);
            var capture = await Step.Run("capture", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("POST", paymentUrl + "/capture")
                .ExpectStatus(200).WithCheck(s_captured), ctx)).ConfigureAwait(false);
            if (capture.IsError)
            {
                return capture;
            }

            expected = "captured";
            if (random.NextDouble() < _options.RefundShare)
            {
                await _options.ThinkTime.WaitAsync(ctx).ConfigureAwait(false);
                var partial = random.NextDouble() < 0.5;
                var refundAmount = partial ? Half(body.Amount, body.Currency) : body.Amount;
                var refundBody = new RefundBody(refundAmount, s_refundReasons[random.Next(s_refundReasons.Length)]);
                var refund = await Step.Run("refund", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("POST", paymentUrl + "/refunds")
                    .WithJsonBody(refundBody, ScenarioJson.Default.RefundBody)
                    .ExpectStatus(201)
                    .WithCheck(HttpCheck.Create("refund amount as asked", r => r.TryGetJson("amount", out var a) && a.GetDecimal() == refundAmount)), ctx)).ConfigureAwait(false);
                if (refund.IsError)
                {
                    return refund;
                }

                expected = refundAmount == body.Amount ? "refunded" : "partially_refunded";
            }
        }

        if (random.NextDouble() < _options.VerifyShare)
        {
            var get = await Step.Run("get_payment", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("GET", paymentUrl)
                .ExpectStatus(200).WithCheck(HttpCheck.Create("payment status as expected", r => r.GetJsonText("status") == expected)), ctx)).ConfigureAwait(false);
            if (get.IsError)
            {
                return get;
            }
        }

        return FlowResult.Ok;
    }

    /// <summary>A payment request: a Bogus customer, an amount and currency from the mix, and a test card or token.</summary>
    internal PaymentBody NewPayment(Faker faker, Random random)
    {
        var currency = PaymentMix.Currency(random);
        var amount = PaymentMix.Amount(random, currency);
        string? number = null;
        string? token = null;
        if (random.NextDouble() < _options.DeclineShare)
        {
            var fraud = random.NextDouble() < 0.3;
            if (random.NextDouble() < _options.TokenShare)
            {
                token = fraud ? "tok_fraud" : "tok_insufficient_funds";
            }
            else
            {
                number = fraud ? TestCards.Fraud : TestCards.InsufficientFunds;
            }
        }
        else if (random.NextDouble() < _options.TokenShare)
        {
            token = TestCards.ApprovingTokens[random.Next(TestCards.ApprovingTokens.Count)];
        }
        else
        {
            number = random.NextDouble() < 0.5 ? TestCards.Generate(random) : TestCards.Approving[random.Next(TestCards.Approving.Count)];
            if (random.NextDouble() < 0.25)
            {
                number = TestCards.Grouped(number);
            }
        }

        return new PaymentBody(faker.Name.FullName(), amount, currency, token, number, faker.Commerce.ProductName());
    }

    private HttpRequestBuilder AuthorizeRequest(PaymentBody body, string key) =>
        HttpApi.CreateRequest("POST", _payments)
            .WithHeader("Idempotency-Key", key)
            .WithJsonBody(body, ScenarioJson.Default.PaymentBody)
            .WithCheck(s_created)
            .WithCheck(s_hasId);

    private static decimal Half(decimal amount, string currency) =>
        currency == "JPY" ? Math.Max(1, decimal.Floor(amount / 2)) : Math.Max(0.01m, decimal.Floor(amount * 50m) / 100m);
}

/// <summary>The POST /v1/payments body.</summary>
/// <param name="Customer">The customer's name.</param>
/// <param name="Amount">The amount in major units.</param>
/// <param name="Currency">The ISO 4217 currency.</param>
/// <param name="CardToken">A card token, or null.</param>
/// <param name="CardNumber">A card number, or null.</param>
/// <param name="Description">What is bought.</param>
internal sealed record PaymentBody(string Customer, decimal Amount, string Currency, string? CardToken, string? CardNumber, string Description);

/// <summary>The POST /v1/payments/{id}/refunds body.</summary>
/// <param name="Amount">The amount to refund.</param>
/// <param name="Reason">Why.</param>
internal sealed record RefundBody(decimal Amount, string Reason);
