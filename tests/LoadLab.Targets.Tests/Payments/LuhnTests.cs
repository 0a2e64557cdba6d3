using LoadLab.Targets.Payments;

namespace LoadLab.Targets.Tests.Payments;

public class LuhnTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("5555555555554444")]
    [InlineData("378282246310005")]
    [InlineData("4000000000009995")]
    [InlineData("4100000000000019")]
    public void IsValid_TestCardNumbers_ReturnsTrue(string number) => Assert.True(Luhn.IsValid(number));

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("1234567812345678")]
    [InlineData("42424242424242a2")]
    [InlineData("4")]
    public void IsValid_WrongCheckDigitOrNotDigits_ReturnsFalse(string number) => Assert.False(Luhn.IsValid(number));
}
