using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LoadLab.Targets.Tests.Payments;

public sealed class PaymentsServiceTests : IAsyncLifetime
{
    private TargetHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestTargets.StartAsync(TestTargets.Options());
        _client = TestTargets.Client(_host.PaymentsUrl);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task CreatePayment_ValidCard_Returns201AuthorizedWithLast4Only()
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("pay_", body.GetProperty("id").GetString());
        Assert.Equal("authorized", body.GetProperty("status").GetString());
        Assert.Equal(25.50m, body.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", body.GetProperty("currency").GetString());
        Assert.Equal("4242", body.GetProperty("card").GetProperty("last4").GetString());
        Assert.Equal("visa", body.GetProperty("card").GetProperty("brand").GetString());
        Assert.Equal("1.2.3-test", body.GetProperty("release").GetString());
        Assert.DoesNotContain("4242424242424242", body.GetRawText());
        Assert.Equal($"/v1/payments/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CreatePayment_CardToken_UsesTokenCard()
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments",
            new { customer = "cus_bob", amount = 10, currency = "usd", card_token = "tok_mastercard" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("mastercard", body.GetProperty("card").GetProperty("brand").GetString());
        Assert.Equal("4444", body.GetProperty("card").GetProperty("last4").GetString());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task GetPayment_Existing_ReturnsIt()
    {
        var (_, created) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment());
        var id = created.GetProperty("id").GetString();

        using var response = await _client.GetAsync($"/v1/payments/{id}");
        var body = await TestTargets.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(0, body.GetProperty("refunds").GetArrayLength());
    }

    [Fact]
    public async Task GetPayment_Unknown_Returns404Problem()
    {
        using var response = await _client.GetAsync("/v1/payments/pay_nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(Cards.InsufficientFunds, 10, "insufficient_funds")]
    [InlineData("4242424242424242", 10_000.01, "insufficient_funds")]
    [InlineData(Cards.Fraud, 10, "suspected_fraud")]
    public async Task CreatePayment_DeclineRule_Returns201Declined(string card, double amount, string reason)
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(card, (decimal)amount));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("declined", body.GetProperty("status").GetString());
        Assert.Equal(reason, body.GetProperty("decline_reason").GetString());
        var metrics = await _client.GetStringAsync("/metrics");
        Assert.Equal(1, TestTargets.Sample(metrics, "payments_total", ("outcome", "declined")));
        Assert.Equal(0, TestTargets.Sample(metrics, "payments_total", ("outcome", "approved")));
    }

    [Theory]
    [InlineData("""{"customer":"c","amount":10,"currency":"EUR","card_number":"4242424242424241"}""", "card_number", "Fails the Luhn check.")]
    [InlineData("""{"customer":"c","amount":0,"currency":"EUR","card_number":"4242424242424242"}""", "amount", "Must be greater than 0.")]
    [InlineData("""{"customer":"c","amount":-5,"currency":"EUR","card_number":"4242424242424242"}""", "amount", "Must be greater than 0.")]
    [InlineData("""{"customer":"c","amount":"ten","currency":"EUR","card_number":"4242424242424242"}""", "amount", "Must be a number such as 12.50, not string.")]
    [InlineData("""{"customer":"c","amount":10.001,"currency":"EUR","card_number":"4242424242424242"}""", "amount", "EUR amounts have at most 2 decimal places.")]
    [InlineData("""{"customer":"c","amount":10,"currency":"XYZ","card_number":"4242424242424242"}""", "currency", "Must be one of AUD, CAD, CHF, DKK, EUR, GBP, JPY, NOK, PLN, SEK, USD.")]
    [InlineData("""{"amount":10,"currency":"EUR","card_number":"4242424242424242"}""", "customer", "The field is required.")]
    [InlineData("""{"customer":"c","amount":10,"currency":"EUR"}""", "card_token", "Exactly one of card_token and card_number is required.")]
    [InlineData("""{"customer":"c","amount":10,"currency":"EUR","card_token":"tok_visa","card_number":"4242424242424242"}""", "card_number", "Exactly one of card_token and card_number is required.")]
    [InlineData("""{"customer":"c","amount":10,"currency":"EUR","card_number":"12ab"}""", "card_number", "Must be 12 to 19 digits (spaces and dashes allowed).")]
    [InlineData("""not json""", "body", "The body is not valid JSON (line 1, position 2).")]
    [InlineData("""[1,2]""", "body", "A JSON object is required, not array.")]
    [InlineData("", "body", "A JSON object is required.")]
    public async Task CreatePayment_InvalidRequest_Returns400ProblemNamingTheField(string json, string field, string message)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/v1/payments", content);
        var body = await TestTargets.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal(message, body.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task CreatePayment_BodyOver64KiB_Returns413Problem()
    {
        var json = "{\"customer\":\"" + new string('x', 70_000) + "\"}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/v1/payments", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreatePayment_UnknownToken_DoesNotEchoTheToken()
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments",
            new { customer = "c", amount = 1, currency = "EUR", card_token = "tok_secret_value_123" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("tok_secret_value_123", body.GetRawText());
    }

    [Fact]
    public async Task CreatePayment_SameIdempotencyKeyAndBody_ReturnsTheSamePayment()
    {
        var key = Guid.NewGuid().ToString();
        var (first, firstBody) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(), key);
        var (second, secondBody) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody.GetProperty("id").GetString(), secondBody.GetProperty("id").GetString());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task CreatePayment_ConcurrentRetriesWithOneKey_CreateOnePayment()
    {
        var key = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(), key)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Response.StatusCode));
        Assert.Single(results.Select(r => r.Body.GetProperty("id").GetString()).Distinct());
    }

    [Fact]
    public async Task CreatePayment_SameIdempotencyKeyOtherBody_Returns409()
    {
        var key = Guid.NewGuid().ToString();
        await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(amount: 10), key);

        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(amount: 11), key);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("The Idempotency-Key was already used with a different request.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CreatePayment_IdempotencyKeyTooLong_Returns400()
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(), new string('k', 256));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Must be 1 to 255 printable ASCII characters.", body.GetProperty("errors").GetProperty("Idempotency-Key")[0].GetString());
    }

    [Fact]
    public async Task Capture_AuthorizedPayment_CapturesFullAmountOnce()
    {
        var id = await CreateAsync(40m);

        var (captured, body) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/capture", null);
        var (again, againBody) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/capture", null);

        Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
        Assert.Equal("captured", body.GetProperty("status").GetString());
        Assert.Equal(40m, body.GetProperty("amount_captured").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("only authorized payments can be captured", againBody.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Capture_DeclinedPayment_Returns409()
    {
        var (_, created) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(Cards.Fraud));

        var (response, _) = await TestTargets.PostAsync(_client, $"/v1/payments/{created.GetProperty("id").GetString()}/capture", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Capture_UnknownPayment_Returns404()
    {
        var (response, _) = await TestTargets.PostAsync(_client, "/v1/payments/pay_missing/capture", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Refund_PartialThenRest_TracksRefundedAmount()
    {
        var id = await CreateAsync(100m);
        await TestTargets.PostAsync(_client, $"/v1/payments/{id}/capture", null);

        var (first, refund) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/refunds", new { amount = 30, reason = "damaged" });
        using var afterFirst = await _client.GetAsync($"/v1/payments/{id}");
        var partial = await TestTargets.JsonAsync(afterFirst);
        var (second, rest) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/refunds", null);
        using var afterSecond = await _client.GetAsync($"/v1/payments/{id}");
        var full = await TestTargets.JsonAsync(afterSecond);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.StartsWith("re_", refund.GetProperty("id").GetString());
        Assert.Equal(30m, refund.GetProperty("amount").GetDecimal());
        Assert.Equal("partially_refunded", partial.GetProperty("status").GetString());
        Assert.Equal(30m, partial.GetProperty("amount_refunded").GetDecimal());
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(70m, rest.GetProperty("amount").GetDecimal());
        Assert.Equal("refunded", full.GetProperty("status").GetString());
        Assert.Equal(100m, full.GetProperty("amount_refunded").GetDecimal());
        Assert.Equal(2, full.GetProperty("refunds").GetArrayLength());
    }

    [Fact]
    public async Task Refund_MoreThanCaptured_Returns400NamingTheLimit()
    {
        var id = await CreateAsync(50m);
        await TestTargets.PostAsync(_client, $"/v1/payments/{id}/capture", new { amount = 20 });

        var (response, body) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/refunds", new { amount = 20.01 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Must not exceed the refundable amount, 20 EUR.", body.GetProperty("errors").GetProperty("amount")[0].GetString());
    }

    [Fact]
    public async Task Refund_NotCaptured_Returns409()
    {
        var id = await CreateAsync(50m);

        var (response, body) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/refunds", new { amount = 5 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("only captured payments can be refunded", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refund_FullyRefunded_Returns409()
    {
        var id = await CreateAsync(5m);
        await TestTargets.PostAsync(_client, $"/v1/payments/{id}/capture", null);
        await TestTargets.PostAsync(_client, $"/v1/payments/{id}/refunds", null);

        var (response, _) = await TestTargets.PostAsync(_client, $"/v1/payments/{id}/refunds", new { amount = 1 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Restart_SameDataDirectory_PaymentsSurvive()
    {
        var directory = TestTargets.TempDirectory();
        try
        {
            string id;
            var key = Guid.NewGuid().ToString();
            await using (var host = await TestTargets.StartAsync(TestTargets.Options(dataDirectory: directory)))
            {
                using var client = TestTargets.Client(host.PaymentsUrl);
                var (_, created) = await TestTargets.PostAsync(client, "/v1/payments", TestTargets.Payment(amount: 77), key);
                id = created.GetProperty("id").GetString()!;
                await TestTargets.PostAsync(client, $"/v1/payments/{id}/capture", null);
                await TestTargets.PostAsync(client, $"/v1/payments/{id}/refunds", new { amount = 7 });

                await host.StopPaymentsAsync(CancellationToken.None);
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"/v1/payments/{id}"));

                await host.RestartPaymentsAsync(CancellationToken.None);
                using var restarted = TestTargets.Client(host.PaymentsUrl);
                using var response = await restarted.GetAsync($"/v1/payments/{id}");
                var body = await TestTargets.JsonAsync(response);

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("partially_refunded", body.GetProperty("status").GetString());
                Assert.Equal(7m, body.GetProperty("amount_refunded").GetDecimal());
                Assert.Equal(1, body.GetProperty("refunds").GetArrayLength());
            }

            // A whole new host on the same directory, and the Idempotency-Key still binds.
            await using (var again = await TestTargets.StartAsync(TestTargets.Options(dataDirectory: directory)))
            {
                using var client = TestTargets.Client(again.PaymentsUrl);
                var (replay, body) = await TestTargets.PostAsync(client, "/v1/payments", TestTargets.Payment(amount: 77), key);

                Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
                Assert.Equal(id, body.GetProperty("id").GetString());
            }

            Assert.True(File.Exists(Path.Combine(directory, "payments.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Health_ReportsServiceAndRelease()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("payments-service", health.GetProperty("service").GetString());
        Assert.Equal("1.2.3-test", health.GetProperty("release").GetString());
        Assert.Equal("test", health.GetProperty("environment").GetString());
    }

    private async Task<string> CreateAsync(decimal amount)
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/payments", TestTargets.Payment(amount: amount));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return body.GetProperty("id").GetString()!;
    }

    private static class Cards
    {
        public const string InsufficientFunds = LoadLab.Targets.Payments.Cards.InsufficientFundsCard;
        public const string Fraud = LoadLab.Targets.Payments.Cards.FraudCard;
    }
}
