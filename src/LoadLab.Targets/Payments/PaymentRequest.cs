using System.Text.Json;

namespace LoadLab.Targets.Payments;

/// <summary>
/// A validated POST /v1/payments request. The full card number lives only in memory for the
/// processor call; only <see cref="CardLast4"/> and <see cref="CardBrand"/> are stored.
/// </summary>
internal sealed record PaymentRequest(
    string Customer,
    long AmountMinor,
    string Currency,
    string CardNumber,
    string CardLast4,
    string CardBrand,
    string? Description)
{
    /// <summary>The largest amount accepted, in major units.</summary>
    public const decimal MaxAmount = 1_000_000m;

    public static PaymentRequest? Parse(JsonElement root, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var customer = Hosting.JsonBody.String(root, "customer", required: true, errors);
        if (customer is not null && (customer.Trim().Length == 0 || customer.Length > 100))
        {
            errors["customer"] = ["Must be 1 to 100 characters."];
        }

        var currency = Hosting.JsonBody.String(root, "currency", required: true, errors)?.ToUpperInvariant();
        if (currency is not null && !Currencies.MinorDigits.ContainsKey(currency))
        {
            errors["currency"] = [$"Must be one of {Currencies.AllowedList}."];
            currency = null;
        }

        var amount = Hosting.JsonBody.Amount(root, "amount", required: true, errors);
        long amountMinor = 0;
        if (amount is { } major)
        {
            if (major > MaxAmount)
            {
                errors["amount"] = [$"Must not exceed {MaxAmount}."];
            }
            else if (currency is not null)
            {
                var minor = major * Currencies.Factor(currency);
                if (minor != decimal.Truncate(minor))
                {
                    errors["amount"] = [$"{currency} amounts have at most {Currencies.MinorDigits[currency]} decimal places."];
                }
                else
                {
                    amountMinor = (long)minor;
                }
            }
        }

        var cardNumber = ParseCard(root, errors);
        var description = Hosting.JsonBody.String(root, "description", required: false, errors);
        if (description is { Length: > 200 })
        {
            errors["description"] = ["Must be at most 200 characters."];
        }

        if (errors.Count > 0 || customer is null || currency is null || cardNumber is null)
        {
            return null;
        }

        return new PaymentRequest(customer.Trim(), amountMinor, currency, cardNumber, cardNumber[^4..], Cards.BrandOf(cardNumber), description);
    }

    private static string? ParseCard(JsonElement root, Dictionary<string, string[]> errors)
    {
        var hasToken = root.TryGetProperty("card_token", out var tokenElement) && tokenElement.ValueKind != JsonValueKind.Null;
        var hasNumber = root.TryGetProperty("card_number", out var numberElement) && numberElement.ValueKind != JsonValueKind.Null;
        if (hasToken == hasNumber)
        {
            errors[hasToken ? "card_number" : "card_token"] = ["Exactly one of card_token and card_number is required."];
            return null;
        }

        if (hasToken)
        {
            var token = Hosting.JsonBody.String(root, "card_token", required: true, errors);
            if (token is null)
            {
                return null;
            }

            if (!Cards.Tokens.TryGetValue(token, out var number))
            {
                // The token itself is not echoed: tokens are secrets too.
                errors["card_token"] = [$"Unknown card token; known tokens are {string.Join(", ", Cards.Tokens.Keys)}."];
                return null;
            }

            return number;
        }

        var raw = Hosting.JsonBody.String(root, "card_number", required: true, errors);
        if (raw is null)
        {
            return null;
        }

        var digits = new string(raw.Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit))
        {
            errors["card_number"] = ["Must be 12 to 19 digits (spaces and dashes allowed)."];
            return null;
        }

        if (!Luhn.IsValid(digits))
        {
            errors["card_number"] = ["Fails the Luhn check."];
            return null;
        }

        return digits;
    }
}
