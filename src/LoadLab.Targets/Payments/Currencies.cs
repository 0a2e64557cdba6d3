namespace LoadLab.Targets.Payments;

/// <summary>The ISO 4217 currencies payments-service accepts, with their minor-unit digits.</summary>
internal static class Currencies
{
    public static readonly IReadOnlyDictionary<string, int> MinorDigits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["USD"] = 2,
        ["EUR"] = 2,
        ["GBP"] = 2,
        ["CHF"] = 2,
        ["CAD"] = 2,
        ["AUD"] = 2,
        ["SEK"] = 2,
        ["NOK"] = 2,
        ["DKK"] = 2,
        ["PLN"] = 2,
        ["JPY"] = 0,
    };

    public static string AllowedList { get; } = string.Join(", ", MinorDigits.Keys.Order(StringComparer.Ordinal));

    public static decimal ToMajor(long minor, string currency) => minor / Factor(currency);

    public static decimal Factor(string currency) => MinorDigits.TryGetValue(currency, out var digits) && digits == 0 ? 1m : 100m;
}
