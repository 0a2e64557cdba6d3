using System.Text.RegularExpressions;

namespace LoadLab.Targets.Observability;

/// <summary>
/// The last line of defence for logs: masks anything that looks like a card number (13 to 19
/// digits, spaces or dashes allowed, Luhn-valid) and bearer tokens. Code must still never log a
/// secret; this catches what a framework logger might echo.
/// </summary>
internal static partial class LogRedactor
{
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = CardLike().Replace(text, m =>
        {
            var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            return Payments.Luhn.IsValid(digits) ? "****" + digits[^4..] : m.Value;
        });
        return Bearer().Replace(result, "Bearer [redacted]");
    }

    [GeneratedRegex(@"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex CardLike();

    [GeneratedRegex(@"Bearer\s+[^\s""',;]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();
}
