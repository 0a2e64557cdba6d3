using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;
using LoadLab.Http;

namespace LoadLab.Scenarios.Common;

/// <summary>Settings every library scenario shares: its HTTP client's timeout and pool size.</summary>
internal static class LibraryHttp
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultMaxConnections = 1024;

    public static IReadOnlyList<ScenarioSetting> Settings { get; } =
    [
        new("timeout", "duration", "10s", "Request timeout; past it a request fails with 'timeout'."),
        new("max_connections", "integer", "1024", "Connection pool size per target."),
    ];

    /// <summary>
    /// A library scenario: one <see cref="HttpClient"/> (the settings' pool, timeouts and HTTP version) made at
    /// init and shared by every iteration of the flow that <paramref name="createFlow"/> builds on it, disposed at clean.
    /// </summary>
    /// <typeparam name="TFlow">The flow.</typeparam>
    /// <param name="name">The scenario name.</param>
    /// <param name="settings">The scenario's settings (the HTTP ones are read here).</param>
    /// <param name="createFlow">Builds the flow on the client.</param>
    /// <param name="run">Runs one iteration of the flow.</param>
    /// <returns>The scenario.</returns>
    public static ScenarioProps Scenario<TFlow>(string name, ScenarioSettings settings, Func<HttpClient, TFlow> createFlow, Func<TFlow, IScenarioContext, Task<Response>> run)
        where TFlow : class
    {
        var http = ReadOptions(settings);
        HttpClient? client = null;
        TFlow? flow = null;
        return Engine.Scenarios.Scenario.Create(name, ctx => run(flow!, ctx))
            .WithInit(_ =>
            {
                client = HttpClientFactory.Create(http);
                flow = createFlow(client);
                return Task.CompletedTask;
            })
            .WithClean(_ =>
            {
                client?.Dispose();
                return Task.CompletedTask;
            });
    }

    public static HttpClientOptions ReadOptions(ScenarioSettings settings)
    {
        var timeout = settings.GetDuration("timeout", DefaultTimeout);
        if (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromHours(1))
        {
            settings.AddError("timeout", $"expected a duration between 1ms and 1h, got {DurationParser.Format(timeout)}");
            timeout = DefaultTimeout;
        }

        var connections = settings.GetInt("max_connections", DefaultMaxConnections);
        if (connections is < 1 or > 100_000)
        {
            settings.AddError("max_connections", $"expected a whole number between 1 and 100000, got {connections}");
            connections = DefaultMaxConnections;
        }

        return new HttpClientOptions { RequestTimeout = timeout, MaxConnectionsPerServer = connections };
    }

    /// <summary>
    /// A profile target as a base URL. A missing target is recorded by <see cref="ScenarioFactoryContext.GetTarget"/>;
    /// one that is not an absolute http(s) URL is recorded here (C# callers can pass anything).
    /// </summary>
    public static Uri Target(ScenarioSettings settings, ScenarioFactoryContext context, string name)
    {
        var uri = context.GetTarget(name);
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            settings.AddError("targets", $"target '{name}' of scenario '{context.ScenarioName}' must be an absolute http:// or https:// URL such as http://127.0.0.1:5080, got '{uri}'");
            return new Uri("http://127.0.0.1:9/");
        }

        // A trailing slash, so relative paths keep any base path (http://host/api/ + v1/items).
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public static double Ratio(ScenarioSettings settings, string key, double defaultValue) => settings.GetRatio(key, defaultValue);

    public static TimeSpan NonNegativeDuration(ScenarioSettings settings, string key, TimeSpan defaultValue)
    {
        var value = settings.GetDuration(key, defaultValue);
        if (value < TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
        {
            settings.AddError(key, $"expected a duration between 0ms and 10m, got {DurationParser.Format(value)}");
            return defaultValue;
        }

        return value;
    }

    public static int IntInRange(ScenarioSettings settings, string key, int defaultValue, int min, int max)
    {
        var value = settings.GetInt(key, defaultValue);
        if (value < min || value > max)
        {
            settings.AddError(key, $"expected a whole number between {min} and {max}, got {value}");
            return defaultValue;
        }

        return value;
    }
}
