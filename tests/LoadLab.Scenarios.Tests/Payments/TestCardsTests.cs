using LoadLab.Scenarios.Payments;

namespace LoadLab.Scenarios.Tests.Payments;

public sealed class TestCardsTests
{
    [Fact]
    public void Approving_EveryNumber_IsLuhnValid()
    {
        Assert.All(TestCards.Approving.Append(TestCards.Fraud).Append(TestCards.InsufficientFunds), n => Assert.True(TestCards.IsLuhnValid(n), n));
    }

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("1234567812345678")]
    [InlineData("42424242424242a2")]
    [InlineData("4")]
    public void IsLuhnValid_BadNumber_IsFalse(string number)
    {
        Assert.False(TestCards.IsLuhnValid(number));
    }

    [Fact]
    public void Generate_ManyNumbers_AreLuhnValidIn424242Range()
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var n = TestCards.Generate(random);
            Assert.Equal(16, n.Length);
            Assert.StartsWith("424242", n, StringComparison.Ordinal);
            Assert.True(TestCards.IsLuhnValid(n), n);
        }
    }

    [Theory]
    [InlineData("424242424242424", '2')]
    [InlineData("37828224631000", '5')]
    [InlineData("400000000000999", '5')]
    public void CheckDigit_KnownNumbers_GivesTheirLastDigit(string payload, char digit)
    {
        Assert.Equal(digit, TestCards.CheckDigit(payload));
    }

    [Fact]
    public void Grouped_Number_SplitsInFours()
    {
        Assert.Equal("4242 4242 4242 4242", TestCards.Grouped("4242424242424242"));
        Assert.Equal("3782 8224 6310 005", TestCards.Grouped("378282246310005"));
    }
}
