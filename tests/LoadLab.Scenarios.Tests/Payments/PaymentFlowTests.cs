using Bogus;
using LoadLab.Scenarios.Payments;

namespace LoadLab.Scenarios.Tests.Payments;

public sealed class PaymentFlowTests
{
    [Fact]
    public void NewPayment_SameSeed_SameCustomerCardAndAmount()
    {
        using var client = new HttpClient();
        var flow = new PaymentFlow(client, new PaymentFlowOptions());

        var a = flow.NewPayment(new Faker { Random = new Randomizer(1234) }, new Random(1234));
        var b = flow.NewPayment(new Faker { Random = new Randomizer(1234) }, new Random(1234));
        var c = flow.NewPayment(new Faker { Random = new Randomizer(4321) }, new Random(4321));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void NewPayment_ManyDraws_UseValidCardsOrTokensInTheConfiguredShares()
    {
        using var client = new HttpClient();
        var flow = new PaymentFlow(client, new PaymentFlowOptions { DeclineShare = 0.2, TokenShare = 0.5 });
        var random = new Random(8);
        var faker = new Faker { Random = new Randomizer(8) };
        int tokens = 0, declining = 0;
        const int n = 4_000;
        for (var i = 0; i < n; i++)
        {
            var p = flow.NewPayment(faker, random);
            Assert.True((p.CardToken is null) != (p.CardNumber is null));
            Assert.False(string.IsNullOrWhiteSpace(p.Customer));
            if (p.CardNumber is { } number)
            {
                Assert.True(TestCards.IsLuhnValid(number.Replace(" ", "", StringComparison.Ordinal)), number);
            }
            else
            {
                tokens++;
            }

            if (p.CardNumber?.Replace(" ", "", StringComparison.Ordinal) is TestCards.Fraud or TestCards.InsufficientFunds || p.CardToken is "tok_fraud" or "tok_insufficient_funds")
            {
                declining++;
            }
        }

        Assert.InRange(tokens / (double)n, 0.45, 0.55);
        Assert.InRange(declining / (double)n, 0.17, 0.23);
    }
}
