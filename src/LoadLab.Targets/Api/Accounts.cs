using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LoadLab.Targets.Api;

/// <summary>
/// Demo accounts <c>user1</c> .. <c>user1000</c> with password <c>pass-N</c>, and stateless bearer
/// tokens (user, expiry, HMAC with a per-instance key) so logins under load keep no state.
/// </summary>
internal sealed class Accounts
{
    public const int UserCount = 1000;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _timeProvider;

    public Accounts(TimeProvider timeProvider) => _timeProvider = timeProvider;

    public static string PasswordOf(int user) => "pass-" + user.ToString(CultureInfo.InvariantCulture);

    public bool Verify(string user, string password)
    {
        var expected = user.StartsWith("user", StringComparison.Ordinal)
            && int.TryParse(user.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= UserCount
            && n.ToString(CultureInfo.InvariantCulture) == user[4..]
                ? PasswordOf(n)
                : null;

        // Compared in constant time even for unknown users, so timing tells nothing.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var wanted = SHA256.HashData(Encoding.UTF8.GetBytes(expected ?? "\0unknown"));
        return CryptographicOperations.FixedTimeEquals(given, wanted) && expected is not null;
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(string user)
    {
        var expires = _timeProvider.GetUtcNow() + TokenLifetime;
        var payload = user + "|" + expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        return (Base64Url(payloadBytes) + "." + Base64Url(HMACSHA256.HashData(_key, payloadBytes)), expires);
    }

    /// <summary>The user of a valid, unexpired token, else null.</summary>
    public string? Validate(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        try
        {
            var payloadBytes = Convert.FromBase64String(FromBase64Url(token[..dot]));
            var signature = Convert.FromBase64String(FromBase64Url(token[(dot + 1)..]));
            if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payloadBytes)))
            {
                return null;
            }

            var parts = Encoding.UTF8.GetString(payloadBytes).Split('|');
            return parts.Length == 2
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                && DateTimeOffset.FromUnixTimeSeconds(expires) > _timeProvider.GetUtcNow()
                    ? parts[0]
                    : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
