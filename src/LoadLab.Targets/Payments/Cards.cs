namespace LoadLab.Targets.Payments;

/// <summary>Test card tokens, card brands and the processor's special test cards (docs/targets.md).</summary>
internal static class Cards
{
    /// <summary>Always declined with insufficient_funds.</summary>
    public const string InsufficientFundsCard = "4000000000009995";

    /// <summary>Always declined with suspected_fraud.</summary>
    public const string FraudCard = "4100000000000019";

    public static readonly IReadOnlyDictionary<string, string> Tokens = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tok_visa"] = "4242424242424242",
        ["tok_mastercard"] = "5555555555554444",
        ["tok_amex"] = "378282246310005",
        ["tok_discover"] = "6011111111111117",
        ["tok_insufficient_funds"] = InsufficientFundsCard,
        ["tok_fraud"] = FraudCard,
    };

    public static string BrandOf(string number)
    {
        if (number.StartsWith('4'))
        {
            return "visa";
        }

        if (number.Length >= 2 && int.TryParse(number.AsSpan(0, 2), out var two))
        {
            if (two is >= 51 and <= 55)
            {
                return "mastercard";
            }

            if (two is 34 or 37)
            {
                return "amex";
            }

            if (two == 65)
            {
                return "discover";
            }
        }

        if (number.Length >= 4 && int.TryParse(number.AsSpan(0, 4), out var four))
        {
            if (four is >= 2221 and <= 2720)
            {
                return "mastercard";
            }

            if (four == 6011)
            {
                return "discover";
            }
        }

        return "other";
    }
}
