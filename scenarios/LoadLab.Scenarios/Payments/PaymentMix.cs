namespace LoadLab.Scenarios.Payments;

/// <summary>
/// A realistic mix of currencies and amounts: mostly EUR and USD, a tail of others; amounts lognormal
/// around a basket of about 40 (100 times as many yen), many at .99 or whole price points.
/// </summary>
public static class PaymentMix
{
    /// <summary>Currencies and their shares (payments-service accepts all of them).</summary>
    public static IReadOnlyList<(string Currency, double Weight)> Currencies { get; } =
    [
        ("EUR", 0.35), ("USD", 0.30), ("GBP", 0.12), ("CHF", 0.05), ("SEK", 0.04), ("PLN", 0.04),
        ("CAD", 0.03), ("AUD", 0.02), ("NOK", 0.02), ("DKK", 0.02), ("JPY", 0.01),
    ];

    private const double MedianAmount = 40;
    private const double Sigma = 1.0;
    private const double MinAmount = 0.5;
    private const double MaxAmount = 5_000;

    /// <summary>Draws a currency by its share.</summary>
    /// <param name="random">The randomness.</param>
    /// <returns>The ISO 4217 code.</returns>
    public static string Currency(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = random.NextDouble();
        foreach (var (currency, weight) in Currencies)
        {
            x -= weight;
            if (x < 0)
            {
                return currency;
            }
        }

        return Currencies[0].Currency;
    }

    /// <summary>Draws an amount in major units for a currency (whole yen; cents otherwise).</summary>
    /// <param name="random">The randomness.</param>
    /// <param name="currency">The currency.</param>
    /// <returns>The amount.</returns>
    public static decimal Amount(Random random, string currency)
    {
        ArgumentNullException.ThrowIfNull(random);

        // Box-Muller: a standard normal from two uniforms, then lognormal around the median.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var amount = Math.Clamp(MedianAmount * Math.Exp(Sigma * z), MinAmount, MaxAmount);
        if (currency == "JPY")
        {
            return Math.Max(1, Math.Round((decimal)amount * 100m, 0));
        }

        var style = random.NextDouble();
        var value = (decimal)amount;
        return style switch
        {
            < 0.4 when value >= 1 => decimal.Floor(value) + 0.99m,
            < 0.6 => Math.Max(1m, Math.Round(value, 0)),
            _ => Math.Max(0.5m, Math.Round(value, 2)),
        };
    }
}
