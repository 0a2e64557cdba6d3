using System.Globalization;
using System.Net;
using LoadLab.Telemetry;

namespace LoadLab.Sinks.Prometheus.Scrape;

/// <summary>Parses the scrape sink's listen address (<c>--out prometheus=127.0.0.1:9464</c>).</summary>
internal static class LoopbackEndpoint
{
    public static IPEndPoint Parse(string? argument, bool allowRemote)
    {
        var text = string.IsNullOrWhiteSpace(argument) ? PrometheusSinks.DefaultScrapeAddress : argument.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["http://".Length..].TrimEnd('/');
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new SinkConfigurationException(
                $"--out {PrometheusSinks.ScrapeName}={text}: expected host:port such as {PrometheusSinks.DefaultScrapeAddress} (port 0 picks a free one).");
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            throw new SinkConfigurationException(
                $"--out {PrometheusSinks.ScrapeName}={text}: '{host}' is not an IP address; use 127.0.0.1, ::1 or localhost.");
        }

        if (!IPAddress.IsLoopback(address) && !allowRemote)
        {
            throw new SinkConfigurationException(
                $"--out {PrometheusSinks.ScrapeName}={text}: '{host}' is not a loopback address. The scrape endpoint listens on 127.0.0.1 or ::1 " +
                "unless the profile's outputs entry sets allow_remote: true.");
        }

        return new IPEndPoint(address, port);
    }
}
