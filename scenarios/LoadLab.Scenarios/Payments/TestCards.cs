using System.Globalization;

namespace LoadLab.Scenarios.Payments;

/// <summary>
/// Luhn-valid test cards: the card networks' published test numbers, numbers generated in the 424242
/// test range, the processor's tokens, and the test cards payments-service always declines (docs/targets.md).
/// </summary>
public static class TestCards
{
    /// <summary>Always declined with insufficient_funds by payments-service.</summary>
    public const string InsufficientFunds = "4000000000009995";

    /// <summary>Always declined with suspected_fraud by payments-service.</summary>
    public const string Fraud = "4100000000000019";

    /// <summary>Published test numbers of the networks, weighted towards Visa and Mastercard like real traffic.</summary>
    public static IReadOnlyList<string> Approving { get; } =
    [
        "4242424242424242", "4000056655665556", "4012888888881881", "4111111111111111",
        "5555555555554444", "2223003122003222", "5200828282828210", "5105105105105100",
        "378282246310005", "371449635398431",
        "6011111111111117", "6011000990139424",
    ];

    /// <summary>Card tokens payments-service knows that approve.</summary>
    public static IReadOnlyList<string> ApprovingTokens { get; } = ["tok_visa", "tok_mastercard", "tok_amex", "tok_discover"];

    /// <summary>Whether a number passes the Luhn (mod 10) check.</summary>
    /// <param name="digits">Digits only.</param>
    /// <returns>True when valid.</returns>
    public static bool IsLuhnValid(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                return false;
            }

            var d = digits[i] - '0';
            if (doubleIt)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>The check digit that makes <paramref name="payload"/> followed by it Luhn-valid.</summary>
    /// <param name="payload">The digits without the check digit.</param>
    /// <returns>The check digit.</returns>
    public static char CheckDigit(ReadOnlySpan<char> payload)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubleIt)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>A 16-digit Luhn-valid number in the 424242 test range.</summary>
    /// <param name="random">The randomness.</param>
    /// <returns>The number.</returns>
    public static string Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<char> digits = stackalloc char[16];
        "424242".CopyTo(digits);
        for (var i = 6; i < 15; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        digits[15] = CheckDigit(digits[..15]);
        return new string(digits);
    }

    /// <summary>Formats a number as people type it (groups of four), which payments-service accepts.</summary>
    /// <param name="number">The digits.</param>
    /// <returns>The grouped number.</returns>
    public static string Grouped(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return string.Join(' ', number.Chunk(4).Select(c => new string(c)));
    }

    /// <summary>The last four digits (the only part that may be shown).</summary>
    /// <param name="number">The digits.</param>
    /// <returns>The last four.</returns>
    public static string Last4(string number) => number.Length >= 4 ? number[^4..] : number.ToString(CultureInfo.InvariantCulture);
}
