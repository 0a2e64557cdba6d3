using System.Globalization;
using System.Net;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;

namespace LoadLab.Http.Scenarios;

/// <summary>
/// The built-in <c>http</c> scenario: one request per iteration, no code. Settings: <c>url</c>, <c>method</c>,
/// <c>body</c>, <c>headers</c>, <c>expect_status</c>, plus the client's <c>timeout</c>, <c>http_version</c>
/// and <c>max_connections</c>. A relative <c>url</c> is resolved against the profile target named by <c>target</c>.
/// </summary>
public sealed class HttpScenarioFactory : IScenarioFactory
{
    /// <inheritdoc/>
    public string Name => "http";

    /// <inheritdoc/>
    public string Description => "One HTTP request per iteration (url, method, body, headers, expect_status).";

    /// <inheritdoc/>
    public IReadOnlyList<ScenarioSetting> Settings { get; } =
    [
        new("url", "string", "(required)", "An absolute http(s) URL, or a path resolved against 'target'."),
        new("target", "string", "none", "A name under the profile's 'targets:' that a relative 'url' is resolved against."),
        new("method", "string", "GET", "The HTTP method."),
        new("body", "string", "none", "The request body (sent as is)."),
        new("headers", "map", "none", "Request headers; Content-Type sets the body's type (default application/json for a body)."),
        new("expect_status", "string", "any below 400", "Accepted status codes, e.g. 200 or \"200, 204\"; others fail."),
        new("timeout", "duration", "30s", "Request timeout; past it the request fails with 'timeout'."),
        new("http_version", "string", "1.1", "1.1 or 2 (h2c prior knowledge on http://)."),
        new("max_connections", "integer", "1024", "Connection pool size per server."),
    ];

    /// <inheritdoc/>
    public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var url = ResolveUrl(settings, context);
        var method = settings.GetString("method", "GET").Trim();
        if (method.Length == 0 || !method.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            settings.AddError("method", $"expected an HTTP method such as GET or POST, got '{method}'");
            method = "GET";
        }

        var request = Http.CreateRequest(method.ToUpperInvariant(), url);
        var headers = settings.GetMap("headers");
        foreach (var (name, value) in headers)
        {
            try
            {
                request.WithHeader(name, value);
            }
            catch (ArgumentException)
            {
                settings.AddError("headers", $"'{name}' is not a valid HTTP header name");
            }
        }

        if (settings.Has("body"))
        {
            request.WithBody(settings.GetString("body", ""), request.ContentType ?? HttpConstants.JsonContentType);
        }

        var expected = ParseStatusCodes(settings);
        if (expected.Length > 0)
        {
            request.ExpectStatus(expected);
        }

        var options = new HttpClientOptions
        {
            RequestTimeout = settings.GetDuration("timeout", HttpConstants.DefaultRequestTimeout),
            MaxConnectionsPerServer = settings.GetInt("max_connections", HttpConstants.DefaultMaxConnectionsPerServer),
            HttpVersion = settings.GetString("http_version", "1.1").Trim() switch
            {
                "1.1" => HttpVersion.Version11,
                "2" or "2.0" => HttpVersion.Version20,
                var other => Invalid(settings, "http_version", $"expected 1.1 or 2, got '{other}'", HttpVersion.Version11),
            },
        };
        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromHours(1))
        {
            settings.AddError("timeout", $"expected a duration between 1ms and 1h, got {DurationParser.Format(options.RequestTimeout)}");
            options.RequestTimeout = HttpConstants.DefaultRequestTimeout;
        }

        if (options.MaxConnectionsPerServer is < 1 or > HttpConstants.MaxConnectionsLimit)
        {
            settings.AddError("max_connections", $"expected a whole number between 1 and {HttpConstants.MaxConnectionsLimit}, got {options.MaxConnectionsPerServer}");
            options.MaxConnectionsPerServer = HttpConstants.DefaultMaxConnectionsPerServer;
        }

        // The client is made at init (not here: 'loadlab validate' creates scenarios without running them).
        HttpClient? client = null;
        return Scenario.Create(Name, async ctx => await Http.Send(client!, request, ctx).ConfigureAwait(false))
            .WithInit(_ =>
            {
                client = HttpClientFactory.Create(options);
                return Task.CompletedTask;
            })
            .WithClean(_ =>
            {
                client?.Dispose();
                return Task.CompletedTask;
            });
    }

    private static Uri ResolveUrl(ScenarioSettings settings, ScenarioFactoryContext context)
    {
        var unusedTarget = new Uri("http://127.0.0.1:9/");
        var text = settings.GetString("url", "").Trim();
        var targetName = settings.GetString("target", "").Trim();
        if (text.Length == 0)
        {
            settings.AddError("url", "is required: an absolute http:// or https:// URL such as http://127.0.0.1:5080/health, or a path with 'target'");
            return unusedTarget;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        if (text.StartsWith('/') && targetName.Length > 0)
        {
            var target = context.GetTarget(targetName);
            return new Uri(target, text);
        }

        settings.AddError("url", $"expected an absolute http:// or https:// URL (or a path starting with / together with 'target'), got '{text}'");
        return unusedTarget;
    }

    private static int[] ParseStatusCodes(ScenarioSettings settings)
    {
        var text = settings.GetString("expect_status", "");
        var codes = new List<int>();
        foreach (var part in text.Split([',', ' ', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                codes.Add(code);
            }
            else
            {
                settings.AddError("expect_status", $"expected status codes between 100 and 599 such as 200 or \"200, 204\", got '{text}'");
                return [];
            }
        }

        return [.. codes];
    }

    private static T Invalid<T>(ScenarioSettings settings, string key, string message, T fallback)
    {
        settings.AddError(key, message);
        return fallback;
    }
}
