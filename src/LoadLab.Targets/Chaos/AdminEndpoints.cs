using System.Security.Cryptography;
using System.Text;
using LoadLab.Targets.Hosting;
using LoadLab.Targets.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadLab.Targets.Chaos;

/// <summary>
/// <c>GET/PUT/DELETE /admin/dependency-faults</c>: switches the card-processor faults at run time.
/// Every call needs <c>Authorization: Bearer &lt;AdminToken&gt;</c>; without it 401 and a security event.
/// </summary>
internal static class AdminEndpoints
{
    public const string Route = "/admin/dependency-faults";

    public static void Map(WebApplication app, string adminToken)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
        var faults = app.Services.GetRequiredService<DependencyFaultSwitch>();
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LoadLab.Targets.Admin");

        var group = app.MapGroup(Route);
        group.AddEndpointFilter(async (context, next) =>
        {
            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                metrics.SecurityEvent("access_denied");
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Unauthorized("The admin API needs 'Authorization: Bearer <admin token>'.");
            }

            // Hashes compared in constant time: neither the token nor its length leaks through timing.
            var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                metrics.SecurityEvent("invalid_token");
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return Problems.Unauthorized("The admin token is not valid.");
            }

            return await next(context);
        });

        group.MapGet(string.Empty, () => TypedResults.Ok(ToBody(faults.Current)));
        group.MapPut(string.Empty, async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var (document, error) = await JsonBody.ReadObjectAsync(context.Request, required: true);
            if (error is not null)
            {
                return error;
            }

            DependencyFaults? parsed;
            Dictionary<string, string[]> errors;
            using (document)
            {
                parsed = DependencyFaults.Parse(document!.RootElement, out errors);
            }

            if (parsed is null)
            {
                return Problems.Validation(errors);
            }

            faults.Set(parsed);
            logger.LogWarning(
                "Card-processor faults set: latency {LatencyMs} ms on {LatencyRate}, errors {ErrorRate}, outage {Outage}",
                parsed.Latency.TotalMilliseconds,
                parsed.LatencyRate,
                parsed.ErrorRate,
                parsed.Outage);
            return TypedResults.Ok(ToBody(parsed));
        });
        group.MapDelete(string.Empty, () =>
        {
            faults.Set(DependencyFaults.None);
            logger.LogWarning("Card-processor faults cleared");
            return TypedResults.NoContent();
        });
    }

    private static FaultsBody ToBody(DependencyFaults f) =>
        new(DependencyFaultSwitch.Dependency, f.Latency.TotalMilliseconds, f.LatencyRate, f.ErrorRate, f.Outage, f.Any);

    internal sealed record FaultsBody(string Dependency, double LatencyMs, double LatencyRate, double ErrorRate, bool Outage, bool Active);
}
