using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace LoadLab.TestUtils.Servers;

/// <summary>A real Kestrel app for a test: 127.0.0.1, a port the system picks, no console logging.</summary>
public static class LoopbackWebApp
{
    /// <summary>Builds the app; map its endpoints, then <see cref="StartOnLoopbackAsync"/>.</summary>
    /// <param name="protocols">The HTTP versions to serve, or null for Kestrel's default.</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication Create(HttpProtocols? protocols = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            if (protocols is { } p)
            {
                o.Protocols = p;
            }
        }));
        return builder.Build();
    }

    /// <summary>Starts the app and returns the address it listens on, e.g. http://127.0.0.1:41234/.</summary>
    /// <param name="app">The app from <see cref="Create"/>.</param>
    /// <param name="cancellationToken">A token.</param>
    /// <returns>The bound address.</returns>
    public static async Task<Uri> StartOnLoopbackAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new Uri(app.Urls.First());
    }
}
