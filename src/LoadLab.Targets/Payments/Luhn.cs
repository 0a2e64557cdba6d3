namespace LoadLab.Targets.Payments;

/// <summary>The Luhn (mod 10) check of card numbers.</summary>
internal static class Luhn
{
    /// <summary>Whether <paramref name="digits"/> (digits only) passes the Luhn check.</summary>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var c = digits[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
