using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LoadLab.Http;

/// <summary>
/// A check on a response: status, header, JSON field, body contains, or any predicate. Its name is the
/// <c>check</c> label of <c>loadlab_checks_total</c>, so it must be a fixed text: never an id, a URL or a secret.
/// </summary>
public sealed class HttpCheck
{
    private readonly Func<HttpReply, bool> _predicate;
    private readonly int[]? _statusCodes;

    private HttpCheck(string name, Func<HttpReply, bool> predicate, bool needsBody, int[]? statusCodes)
    {
        Name = name;
        _predicate = predicate;
        NeedsBody = needsBody;
        _statusCodes = statusCodes;
    }

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the check reads the body (then <see cref="Http.Send"/> keeps it).</summary>
    public bool NeedsBody { get; }

    internal bool IsStatusCheck => _statusCodes is not null;

    /// <summary>The status must be one of <paramref name="statusCodes"/>; named "status is 201" or "status in (200, 204)".</summary>
    /// <param name="statusCodes">The accepted codes.</param>
    /// <returns>The check.</returns>
    /// <exception cref="ArgumentException">No code, or a code outside 100..599.</exception>
    public static HttpCheck Status(params int[] statusCodes)
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        if (statusCodes.Length == 0 || statusCodes.Any(c => c is < 100 or > 599))
        {
            throw new ArgumentException("A status check needs one or more status codes between 100 and 599.", nameof(statusCodes));
        }

        var codes = (int[])statusCodes.Clone();
        var name = codes.Length == 1
            ? "status is " + codes[0].ToString(CultureInfo.InvariantCulture)
            : "status in (" + string.Join(", ", codes) + ")";
        return new HttpCheck(name, r => Array.IndexOf(codes, r.StatusCode) >= 0, needsBody: false, codes);
    }

    /// <summary>A header must be present and, when <paramref name="expected"/> is given, equal it (case-insensitive, first value).</summary>
    /// <param name="name">The header.</param>
    /// <param name="expected">The expected value; null for present.</param>
    /// <returns>The check, named "header X present" or "header X is V".</returns>
    public static HttpCheck Header(string name, string? expected = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return expected is null
            ? new HttpCheck($"header {name} present", r => r.GetHeader(name) is not null, needsBody: false, null)
            : new HttpCheck($"header {name} is {expected}", r => string.Equals(r.GetHeader(name), expected, StringComparison.OrdinalIgnoreCase), needsBody: false, null);
    }

    /// <summary>
    /// A JSON field (dotted path, see <see cref="HttpReply.TryGetJson"/>) must exist and, when <paramref name="expected"/>
    /// is given, equal it: strings by their value, other values by their JSON text (<c>true</c>, <c>42</c>).
    /// </summary>
    /// <param name="path">The path.</param>
    /// <param name="expected">The expected value; null for present.</param>
    /// <returns>The check, named "json status present" or "json status is approved".</returns>
    public static HttpCheck JsonField(string path, string? expected = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return expected is null
            ? new HttpCheck($"json {path} present", r => r.TryGetJson(path, out var v) && v.ValueKind != JsonValueKind.Null, needsBody: true, null)
            : new HttpCheck($"json {path} is {expected}", r => string.Equals(r.GetJsonText(path), expected, StringComparison.Ordinal), needsBody: true, null);
    }

    /// <summary>A JSON field must satisfy a predicate.</summary>
    /// <param name="name">The check's name.</param>
    /// <param name="path">The dotted path.</param>
    /// <param name="predicate">The predicate; it is not called when the field is absent (the check fails).</param>
    /// <returns>The check.</returns>
    public static HttpCheck JsonField(string name, string path, Func<JsonElement, bool> predicate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(predicate);
        return new HttpCheck(name, r => r.TryGetJson(path, out var v) && predicate(v), needsBody: true, null);
    }

    /// <summary>The body must contain a text (UTF-8, ordinal).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The check, named "body contains 'text'".</returns>
    public static HttpCheck BodyContains(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return new HttpCheck($"body contains '{text}'", r => r.HasBody && r.Body.Span.IndexOf(bytes) >= 0, needsBody: true, null);
    }

    /// <summary>Any predicate on the reply.</summary>
    /// <param name="name">The check's name.</param>
    /// <param name="predicate">The predicate.</param>
    /// <param name="needsBody">Whether it reads the body.</param>
    /// <returns>The check.</returns>
    public static HttpCheck Create(string name, Func<HttpReply, bool> predicate, bool needsBody = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(predicate);
        return new HttpCheck(name, predicate, needsBody, null);
    }

    /// <summary>Returns the same check under another name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The renamed check.</returns>
    public HttpCheck Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new HttpCheck(name, _predicate, NeedsBody, _statusCodes);
    }

    /// <summary>Evaluates the check; a predicate that throws counts as failed.</summary>
    /// <param name="reply">The reply.</param>
    /// <returns>Whether it passed.</returns>
    public bool Evaluate(HttpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        try
        {
            return _predicate(reply);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
