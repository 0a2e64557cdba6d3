using LoadLab.Targets.Payments;

namespace LoadLab.Targets.Tests.Payments;

public class CardProcessorTests
{
    [Theory]
    [InlineData("4242424242424242", 25, "EUR", true, null)]
    [InlineData("4242424242424242", 10_000, "EUR", true, null)]
    [InlineData("4242424242424242", 10_000.01, "EUR", false, "insufficient_funds")]
    [InlineData("4242424242424242", 1_000_000, "JPY", true, null)]
    [InlineData("4242424242424242", 1_000_001, "JPY", false, "insufficient_funds")]
    [InlineData(Cards.InsufficientFundsCard, 1, "USD", false, "insufficient_funds")]
    [InlineData(Cards.FraudCard, 1, "USD", false, "suspected_fraud")]
    public void Decide_DeclineRules_MatchDocumentation(string card, double amount, string currency, bool approved, string? reason)
    {
        var minor = (long)((decimal)amount * Currencies.Factor(currency));
        var request = new PaymentRequest("cus", minor, currency, card, card[^4..], Cards.BrandOf(card), null);

        var decision = CardProcessor.Decide(request);

        Assert.Equal(approved, decision.Approved);
        Assert.Equal(reason, decision.DeclineReason);
    }
}
