using System.Net.Http.Headers;
using System.Text;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus;

/// <summary>An HTTP endpoint from a sink argument; credentials in the URL become a Basic header and never reach reports or logs.</summary>
internal sealed class HttpEndpoint
{
    private HttpEndpoint(Uri url, AuthenticationHeaderValue? authorization)
    {
        Url = url;
        Authorization = authorization;
    }

    public Uri Url { get; }

    public AuthenticationHeaderValue? Authorization { get; }

    /// <summary>Gets the URL as reports show it (no credentials, no query).</summary>
    public string Display => Url.GetLeftPart(UriPartial.Path);

    public static HttpEndpoint Parse(string sink, string? argument, string example)
    {
        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new SinkConfigurationException($"--out {sink}: a URL is required, e.g. --out {sink}={example}.");
        }

        if (!Uri.TryCreate(argument.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new SinkConfigurationException($"--out {sink}=...: expected an http:// or https:// URL such as {example}.");
        }

        AuthenticationHeaderValue? authorization = null;
        if (url.UserInfo.Length > 0)
        {
            authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
            url = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
        }

        return new HttpEndpoint(url, authorization);
    }

    public HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, timeout.TotalSeconds)), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var client = new HttpClient(handler) { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("LoadLab/1.0");
        if (Authorization is not null)
        {
            client.DefaultRequestHeaders.Authorization = Authorization;
        }

        return client;
    }
}
