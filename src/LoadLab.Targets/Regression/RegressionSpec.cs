using System.Globalization;

namespace LoadLab.Targets.Regression;

/// <summary>What a regression spec makes worse.</summary>
public enum RegressionKind
{
    /// <summary>Extra latency on matching routes.</summary>
    Latency,

    /// <summary>A share of matching requests answered with a 5xx error.</summary>
    Errors,
}

/// <summary>
/// A deliberate regression of a target release, for comparisons and demos:
/// <c>latency:/v1/items:+20%</c> (20% more latency), <c>latency:/v1/items:+50ms</c> (50 ms more),
/// <c>errors:/v1/payments:2%</c> (2% of requests fail with 500 or 503) or <c>errors:/v1/payments:2%:503</c>.
/// The path is a prefix matched on whole segments (<c>/v1/items</c> matches <c>/v1/items/7</c>, not <c>/v1/itemsx</c>).
/// </summary>
public sealed record RegressionSpec
{
    private const string ExpectedForm =
        "expected 'latency:/path:+N%', 'latency:/path:+Nms', 'errors:/path:N%' or 'errors:/path:N%:STATUS' (STATUS 500..599)";

    private RegressionSpec(RegressionKind kind, string pathPrefix, double relativeLatency, TimeSpan absoluteLatency, double errorRate, int? statusCode, string text)
    {
        Kind = kind;
        PathPrefix = pathPrefix;
        RelativeLatency = relativeLatency;
        AbsoluteLatency = absoluteLatency;
        ErrorRate = errorRate;
        StatusCode = statusCode;
        Text = text;
    }

    /// <summary>Gets the kind of regression.</summary>
    public RegressionKind Kind { get; }

    /// <summary>Gets the path prefix the regression applies to.</summary>
    public string PathPrefix { get; }

    /// <summary>Gets the extra latency as a share of the request's own duration (0.2 for <c>+20%</c>).</summary>
    public double RelativeLatency { get; }

    /// <summary>Gets the fixed extra latency (for <c>+50ms</c>).</summary>
    public TimeSpan AbsoluteLatency { get; }

    /// <summary>Gets the share of matching requests that fail (0.02 for <c>2%</c>).</summary>
    public double ErrorRate { get; }

    /// <summary>Gets the status of injected errors, or <c>null</c> for 500 and 503 in equal shares.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the spec as written.</summary>
    public string Text { get; }

    /// <summary>Parses a spec.</summary>
    /// <param name="spec">The spec, e.g. <c>latency:/v1/items:+20%</c>.</param>
    /// <returns>The parsed spec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    /// <exception cref="FormatException">The spec does not parse; the message names it and the expected form.</exception>
    public static RegressionSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Trim().Split(':');
        if (parts.Length < 3)
        {
            throw Error(spec, "it has fewer than three ':'-separated parts");
        }

        var path = parts[1];
        if (path.Length == 0 || path[0] != '/' || path.Any(char.IsWhiteSpace))
        {
            throw Error(spec, $"the path '{path}' must start with '/' and contain no spaces");
        }

        if (path.Length > 1)
        {
            path = path.TrimEnd('/');
        }

        switch (parts[0].ToLowerInvariant())
        {
            case "latency":
                {
                    if (parts.Length != 3)
                    {
                        throw Error(spec, "a latency spec has exactly three parts");
                    }

                    var amount = parts[2];
                    if (!amount.StartsWith('+'))
                    {
                        throw Error(spec, $"the amount '{amount}' must start with '+'");
                    }

                    if (amount.EndsWith('%')
                        && double.TryParse(amount.AsSpan(1, amount.Length - 2), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
                        && percent is > 0 and <= 1000)
                    {
                        return new RegressionSpec(RegressionKind.Latency, path, percent / 100, TimeSpan.Zero, 0, null, spec);
                    }

                    if (amount.EndsWith("ms", StringComparison.Ordinal)
                        && double.TryParse(amount.AsSpan(1, amount.Length - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                        && ms is > 0 and <= 60_000)
                    {
                        return new RegressionSpec(RegressionKind.Latency, path, 0, TimeSpan.FromMilliseconds(ms), 0, null, spec);
                    }

                    throw Error(spec, $"the amount '{amount}' must be '+N%' with 0 < N <= 1000 or '+Nms' with 0 < N <= 60000");
                }

            case "errors":
                {
                    if (parts.Length > 4)
                    {
                        throw Error(spec, "an errors spec has three or four parts");
                    }

                    var rate = parts[2];
                    if (!rate.EndsWith('%')
                        || !double.TryParse(rate.AsSpan(0, rate.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
                        || percent is <= 0 or > 100)
                    {
                        throw Error(spec, $"the rate '{rate}' must be 'N%' with 0 < N <= 100");
                    }

                    int? status = null;
                    if (parts.Length == 4)
                    {
                        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 500 or > 599)
                        {
                            throw Error(spec, $"the status '{parts[3]}' must be a number from 500 to 599");
                        }

                        status = code;
                    }

                    return new RegressionSpec(RegressionKind.Errors, path, 0, TimeSpan.Zero, percent / 100, status, spec);
                }

            default:
                throw Error(spec, $"the kind '{parts[0]}' must be 'latency' or 'errors'");
        }
    }

    /// <summary>Whether the spec applies to a request path.</summary>
    /// <param name="path">The request path.</param>
    /// <returns><c>true</c> when <see cref="PathPrefix"/> is the path or a whole-segment prefix of it.</returns>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (PathPrefix == "/")
        {
            return true;
        }

        return path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase)
            && (path.Length == PathPrefix.Length || path[PathPrefix.Length] == '/');
    }

    /// <summary>The extra latency for a request whose own handling took <paramref name="elapsed"/>.</summary>
    /// <param name="elapsed">How long the request took without the regression.</param>
    /// <returns>The delay to add.</returns>
    public TimeSpan ExtraLatency(TimeSpan elapsed) =>
        Kind == RegressionKind.Latency ? AbsoluteLatency + (elapsed * RelativeLatency) : TimeSpan.Zero;

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static FormatException Error(string spec, string problem) =>
        new($"Invalid regression spec '{spec}': {problem}; {ExpectedForm}.");
}
