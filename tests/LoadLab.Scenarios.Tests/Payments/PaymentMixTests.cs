using LoadLab.Scenarios.Payments;

namespace LoadLab.Scenarios.Tests.Payments;

public sealed class PaymentMixTests
{
    [Fact]
    public void Currencies_Weights_AddUpToOne()
    {
        Assert.Equal(1.0, PaymentMix.Currencies.Sum(c => c.Weight), 9);
    }

    [Fact]
    public void Currency_ManyDraws_FollowTheWeights()
    {
        var random = new Random(5);
        var counts = Enumerable.Range(0, 20_000).Select(_ => PaymentMix.Currency(random)).CountBy(c => c).ToDictionary();

        Assert.InRange(counts["EUR"] / 20_000.0, 0.33, 0.37);
        Assert.InRange(counts["USD"] / 20_000.0, 0.28, 0.32);
        Assert.True(counts.ContainsKey("JPY"));
    }

    [Fact]
    public void Amount_ManyDraws_AreValidForTheirCurrency()
    {
        var random = new Random(9);
        var amounts = new List<decimal>();
        for (var i = 0; i < 5_000; i++)
        {
            var currency = PaymentMix.Currency(random);
            var amount = PaymentMix.Amount(random, currency);
            Assert.True(amount > 0);
            Assert.Equal(amount, currency == "JPY" ? decimal.Round(amount, 0) : decimal.Round(amount, 2));
            if (currency != "JPY")
            {
                amounts.Add(amount);
                Assert.InRange(amount, 0.5m, 5_000.99m);
            }
        }

        // A basket of about 40, with a long tail.
        var sorted = amounts.Order().ToList();
        Assert.InRange(sorted[sorted.Count / 2], 30m, 55m);
        Assert.True(sorted[^1] > 500m);
    }
}
