using LoadLab.Targets.Observability;

namespace LoadLab.Targets.Tests.Observability;

public class LogRedactorTests
{
    [Theory]
    [InlineData("card 4242424242424242 used", "card ****4242 used")]
    [InlineData("card 4242 4242 4242 4242 used", "card ****4242 used")]
    [InlineData("card 4242-4242-4242-4242", "card ****4242")]
    [InlineData("Authorization: Bearer abc.def-123", "Authorization: Bearer [redacted]")]
    public void Redact_Secrets_AreMasked(string input, string expected) => Assert.Equal(expected, LogRedactor.Redact(input));

    [Theory]
    [InlineData("order 1234567812345678 shipped")]
    [InlineData("took 12 ms")]
    public void Redact_NumbersFailingLuhn_AreKept(string input) => Assert.Equal(input, LogRedactor.Redact(input));
}
