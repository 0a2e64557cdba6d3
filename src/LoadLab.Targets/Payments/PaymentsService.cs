using System.Security.Cryptography;
using System.Text;
using LoadLab.Targets.Chaos;
using LoadLab.Targets.Hosting;
using LoadLab.Targets.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadLab.Targets.Payments;

/// <summary>
/// payments-service: authorizations through the simulated card processor, captures, partial
/// refunds, Idempotency-Key, SQLite storage, and the card-processor fault switch (docs/targets.md).
/// </summary>
internal sealed class PaymentsService
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private readonly PaymentStore _store;
    private readonly CardProcessor _processor;
    private readonly ServiceMetrics _metrics;
    private readonly ServiceIdentity _identity;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KeyedLock _keyLocks = new();

    public PaymentsService(PaymentStore store, CardProcessor processor, ServiceMetrics metrics, ServiceIdentity identity, TargetOptions options, ILoggerFactory loggerFactory)
    {
        _store = store;
        _processor = processor;
        _metrics = metrics;
        _identity = identity;
        _timeProvider = options.TimeProvider;
        _logger = loggerFactory.CreateLogger("LoadLab.Targets.Payments");
    }

    public static async Task<TargetService> StartAsync(TargetOptions options, string dataDirectory, int port, CancellationToken cancellationToken)
    {
        var store = new PaymentStore(dataDirectory);
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        try
        {
            return await TargetService.StartAsync(
                ServiceIdentity.PaymentsService,
                options,
                port,
                services =>
                {
                    // A factory registration, so the container disposes the store with the service.
                    services.AddSingleton(_ => store);
                    services.AddSingleton<DependencyFaultSwitch>();
                    services.AddSingleton<CardProcessor>();
                    services.AddSingleton<PaymentsService>();
                },
                app => Map(app, options),
                cancellationToken);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static void Map(WebApplication app, TargetOptions options)
    {
        var service = app.Services.GetRequiredService<PaymentsService>();
        Func<HttpContext, Task<IResult>> create = service.CreateAsync;
        app.MapPost("/v1/payments", create);
        app.MapGet("/v1/payments/{id}", (HttpContext c, string id) => service.GetAsync(id, c.RequestAborted));
        app.MapPost("/v1/payments/{id}/capture", (HttpContext c, string id) => service.CaptureAsync(c, id));
        app.MapPost("/v1/payments/{id}/refunds", (HttpContext c, string id) => service.RefundAsync(c, id));
        if (!string.IsNullOrEmpty(options.AdminToken))
        {
            AdminEndpoints.Map(app, options.AdminToken);
        }
    }

    private async Task<IResult> CreateAsync(HttpContext context)
    {
        var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
        if (context.Request.Headers.ContainsKey(IdempotencyKeyHeader)
            && (key.Length is 0 or > 255 || key.Any(c => c is < ' ' or > '~')))
        {
            return Problems.Validation(IdempotencyKeyHeader, "Must be 1 to 255 printable ASCII characters.");
        }

        var (document, error) = await JsonBody.ReadObjectAsync(context.Request, required: true);
        if (error is not null)
        {
            return error;
        }

        PaymentRequest? request;
        Dictionary<string, string[]> errors;
        using (document)
        {
            request = PaymentRequest.Parse(document!.RootElement, out errors);
        }

        if (request is null)
        {
            return Problems.Validation(errors);
        }

        if (key.Length == 0)
        {
            return await AuthorizeAsync(context, request, null, null);
        }

        var hash = _store.RequestHash(request);
        using (await _keyLocks.AcquireAsync(key, context.RequestAborted))
        {
            var existing = await _store.FindByIdempotencyKeyAsync(key, context.RequestAborted);
            if (existing is { } found)
            {
                if (found.RequestHash != hash)
                {
                    return Problems.Conflict($"The {IdempotencyKeyHeader} was already used with a different request.");
                }

                context.Response.Headers[ReplayedHeader] = "true";
                var body = await ToBodyAsync(found.Payment, context.RequestAborted);
                return TypedResults.Created($"/v1/payments/{found.Payment.Id}", body);
            }

            return await AuthorizeAsync(context, request, key, hash);
        }
    }

    private async Task<IResult> AuthorizeAsync(HttpContext context, PaymentRequest request, string? key, string? hash)
    {
        var now = _timeProvider.GetUtcNow();
        var payment = new Payment(NewId("pay_"), Payment.Authorized, request.Customer, request.AmountMinor, request.Currency, request.CardBrand,
            request.CardLast4, null, 0, 0, request.Description, _identity.Release, now, now);
        try
        {
            var authorization = await _processor.AuthorizeAsync(request, context.RequestAborted);
            payment = authorization.Approved ? payment : payment with { Status = Payment.Declined, DeclineReason = authorization.DeclineReason };
        }
        catch (CardProcessorException ex)
        {
            // Failed payments are kept for the record but not bound to the Idempotency-Key, so a retry may succeed.
            payment = payment with { Status = Payment.Failed, DeclineReason = "processor_" + ex.Reason };
            await _store.InsertAsync(payment, null, null, CancellationToken.None);
            _metrics.Payment("failed");
            _logger.LogWarning("Payment {PaymentId} failed: card processor {Reason} (card {CardBrand} ending {CardLast4})", payment.Id, ex.Reason, payment.CardBrand, payment.CardLast4);
            var status = ex.Reason switch
            {
                "timeout" => StatusCodes.Status504GatewayTimeout,
                "unavailable" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            };
            return Problems.Status(status, "Card processor failure", $"The card processor failed ({ex.Reason}); the payment was not authorized.",
                new Dictionary<string, object?> { ["payment_id"] = payment.Id });
        }

        // Stored even if the client has gone: the card processor has already answered.
        await _store.InsertAsync(payment, key, hash, CancellationToken.None);
        var outcome = payment.Status == Payment.Authorized ? "approved" : "declined";
        _metrics.Payment(outcome);
        if (payment.DeclineReason is null)
        {
            _logger.LogInformation("Payment {PaymentId} {Outcome} (card {CardBrand} ending {CardLast4})", payment.Id, outcome, payment.CardBrand, payment.CardLast4);
        }
        else
        {
            _logger.LogInformation("Payment {PaymentId} {Outcome}: {DeclineReason} (card {CardBrand} ending {CardLast4})", payment.Id, outcome, payment.DeclineReason, payment.CardBrand, payment.CardLast4);
        }
        return TypedResults.Created($"/v1/payments/{payment.Id}", await ToBodyAsync(payment, CancellationToken.None));
    }

    private async Task<IResult> GetAsync(string id, CancellationToken cancellationToken)
    {
        var payment = await _store.GetAsync(id, cancellationToken);
        return payment is null ? Problems.NotFound($"Payment '{id}' does not exist.") : TypedResults.Ok(await ToBodyAsync(payment, cancellationToken));
    }

    private async Task<IResult> CaptureAsync(HttpContext context, string id)
    {
        var ct = context.RequestAborted;
        var payment = await _store.GetAsync(id, ct);
        if (payment is null)
        {
            return Problems.NotFound($"Payment '{id}' does not exist.");
        }

        var (document, error) = await JsonBody.ReadObjectAsync(context.Request, required: false);
        if (error is not null)
        {
            return error;
        }

        var amount = payment.AmountMinor;
        using (document)
        {
            if (document is not null)
            {
                var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                var requested = JsonBody.Amount(document.RootElement, "amount", required: false, errors);
                if (requested is { } major && !TryMinor(major, payment, payment.AmountMinor, "the authorized amount", errors, out amount))
                {
                    return Problems.Validation(errors);
                }

                if (errors.Count > 0)
                {
                    return Problems.Validation(errors);
                }
            }
        }

        if (payment.Status != Payment.Authorized)
        {
            return Problems.Conflict($"Payment '{id}' is {payment.Status}; only authorized payments can be captured.");
        }

        try
        {
            await _processor.CaptureAsync(ct);
        }
        catch (CardProcessorException ex)
        {
            return Problems.Status(StatusCodes.Status502BadGateway, "Card processor failure", $"The card processor failed ({ex.Reason}); the payment was not captured.");
        }

        if (!await _store.CaptureAsync(id, amount, _timeProvider.GetUtcNow(), CancellationToken.None))
        {
            return Problems.Conflict($"Payment '{id}' was captured concurrently.");
        }

        _logger.LogInformation("Payment {PaymentId} captured", id);
        return TypedResults.Ok(await ToBodyAsync((await _store.GetAsync(id, CancellationToken.None))!, CancellationToken.None));
    }

    private async Task<IResult> RefundAsync(HttpContext context, string id)
    {
        var ct = context.RequestAborted;
        var payment = await _store.GetAsync(id, ct);
        if (payment is null)
        {
            return Problems.NotFound($"Payment '{id}' does not exist.");
        }

        var (document, error) = await JsonBody.ReadObjectAsync(context.Request, required: false);
        if (error is not null)
        {
            return error;
        }

        var refundable = payment.CapturedMinor - payment.RefundedMinor;
        var amount = refundable;
        string? reason = null;
        using (document)
        {
            if (document is not null)
            {
                var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                var requested = JsonBody.Amount(document.RootElement, "amount", required: false, errors);
                reason = JsonBody.String(document.RootElement, "reason", required: false, errors);
                if (reason is { Length: > 200 })
                {
                    errors["reason"] = ["Must be at most 200 characters."];
                }

                if (requested is { } major && payment.Status is Payment.Captured or Payment.PartiallyRefunded)
                {
                    TryMinor(major, payment, refundable, "the refundable amount", errors, out amount);
                }

                if (errors.Count > 0)
                {
                    return Problems.Validation(errors);
                }
            }
        }

        if (payment.Status is not (Payment.Captured or Payment.PartiallyRefunded))
        {
            return Problems.Conflict($"Payment '{id}' is {payment.Status}; only captured payments can be refunded.");
        }

        try
        {
            await _processor.RefundAsync(ct);
        }
        catch (CardProcessorException ex)
        {
            return Problems.Status(StatusCodes.Status502BadGateway, "Card processor failure", $"The card processor failed ({ex.Reason}); nothing was refunded.");
        }

        var now = _timeProvider.GetUtcNow();
        var refund = new Refund(NewId("re_"), id, amount, reason, now);
        if (!await _store.AddRefundAsync(refund, now, CancellationToken.None))
        {
            return Problems.Conflict($"The refund of payment '{id}' would exceed what is left to refund (a concurrent refund).");
        }

        _logger.LogInformation("Payment {PaymentId} refunded {RefundId}", id, refund.Id);
        return TypedResults.Created($"/v1/payments/{id}/refunds/{refund.Id}", ToBody(refund, payment.Currency));
    }

    private static bool TryMinor(decimal major, Payment payment, long maxMinor, string what, Dictionary<string, string[]> errors, out long minor)
    {
        minor = 0;
        var scaled = major * Currencies.Factor(payment.Currency);
        if (scaled != decimal.Truncate(scaled))
        {
            errors["amount"] = [$"{payment.Currency} amounts have at most {Currencies.MinorDigits[payment.Currency]} decimal places."];
            return false;
        }

        if (scaled > maxMinor)
        {
            errors["amount"] = [$"Must not exceed {what}, {Currencies.ToMajor(maxMinor, payment.Currency)} {payment.Currency}."];
            return false;
        }

        minor = (long)scaled;
        return true;
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private async Task<PaymentBody> ToBodyAsync(Payment p, CancellationToken cancellationToken)
    {
        var refunds = await _store.GetRefundsAsync(p.Id, cancellationToken);
        return new PaymentBody(
            p.Id,
            p.Status,
            p.Customer,
            Currencies.ToMajor(p.AmountMinor, p.Currency),
            p.Currency,
            Currencies.ToMajor(p.CapturedMinor, p.Currency),
            Currencies.ToMajor(p.RefundedMinor, p.Currency),
            new CardBody(p.CardBrand, p.CardLast4),
            p.DeclineReason,
            p.Description,
            p.Release,
            p.CreatedAt,
            p.UpdatedAt,
            refunds.Select(r => ToBody(r, p.Currency)).ToArray());
    }

    private static RefundBody ToBody(Refund r, string currency) =>
        new(r.Id, r.PaymentId, Currencies.ToMajor(r.AmountMinor, currency), currency, r.Reason, r.CreatedAt);

    internal sealed record CardBody(string Brand, string Last4);

    internal sealed record RefundBody(string Id, string PaymentId, decimal Amount, string Currency, string? Reason, DateTimeOffset CreatedAt);

    internal sealed record PaymentBody(
        string Id,
        string Status,
        string Customer,
        decimal Amount,
        string Currency,
        decimal AmountCaptured,
        decimal AmountRefunded,
        CardBody Card,
        string? DeclineReason,
        string? Description,
        string Release,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        IReadOnlyList<RefundBody> Refunds);
}
