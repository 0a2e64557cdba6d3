using System.Globalization;
using LoadLab.Targets.Hosting;
using LoadLab.Targets.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadLab.Targets.Api;

/// <summary>api-service: the catalogue (paging, search, item by id), login and the current user (docs/targets.md).</summary>
internal static class ApiService
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxQueryLength = 100;

    public static Task<TargetService> StartAsync(TargetOptions options, int port, CancellationToken cancellationToken) =>
        TargetService.StartAsync(
            ServiceIdentity.ApiService,
            options,
            port,
            services =>
            {
                services.AddSingleton(new Catalog(options.CatalogSize, options.Seed));
                services.AddSingleton(new Accounts(options.TimeProvider));
            },
            Map,
            cancellationToken);

    private static void Map(WebApplication app)
    {
        var catalog = app.Services.GetRequiredService<Catalog>();
        var accounts = app.Services.GetRequiredService<Accounts>();
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LoadLab.Targets.Api");

        app.MapGet("/v1/items", (HttpRequest request) =>
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var page = IntQuery(request, "page", 1, 1, 1_000_000, errors);
            var pageSize = IntQuery(request, "page_size", DefaultPageSize, 1, MaxPageSize, errors);
            var q = request.Query["q"].ToString();
            if (q.Length > MaxQueryLength)
            {
                errors["q"] = [$"Must be at most {MaxQueryLength} characters."];
            }

            if (errors.Count > 0)
            {
                return Problems.Validation(errors);
            }

            var (items, total) = catalog.Search(q, page, pageSize);
            return TypedResults.Ok(new ItemPage(items, page, pageSize, total));
        });

        app.MapGet("/v1/items/{id}", (string id) =>
            int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && catalog.Find(n) is { } item
                ? TypedResults.Ok(item)
                : Problems.NotFound($"Item '{id}' does not exist."));

        Func<HttpContext, Task<IResult>> login = async context =>
        {
            var (document, error) = await JsonBody.ReadObjectAsync(context.Request, required: true);
            if (error is not null)
            {
                return error;
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            string? user;
            string? password;
            using (document)
            {
                user = JsonBody.String(document!.RootElement, "user", required: true, errors);
                password = JsonBody.String(document.RootElement, "password", required: true, errors);
            }

            if (user is { Length: 0 or > 100 })
            {
                errors["user"] = ["Must be 1 to 100 characters."];
            }

            if (errors.Count > 0 || user is null || password is null)
            {
                return Problems.Validation(errors);
            }

            if (!accounts.Verify(user, password))
            {
                metrics.SecurityEvent("login_failed");
                logger.LogWarning("Login failed for user {User}", user);
                return Problems.Unauthorized("The user or the password is wrong.");
            }

            var (token, expires) = accounts.Issue(user);
            logger.LogInformation("Login succeeded for user {User}", user);
            return TypedResults.Ok(new LoginBody(token, "Bearer", (int)Accounts.TokenLifetime.TotalSeconds, expires));
        };
        app.MapPost("/v1/login", login);

        app.MapGet("/v1/me", (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                metrics.SecurityEvent("access_denied");
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Unauthorized("A bearer token from POST /v1/login is required.");
            }

            var user = accounts.Validate(header["Bearer ".Length..].Trim());
            if (user is null)
            {
                metrics.SecurityEvent("invalid_token");
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return Problems.Unauthorized("The bearer token is invalid or expired.");
            }

            return TypedResults.Ok(new MeBody(user));
        });
    }

    private static int IntQuery(HttpRequest request, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[name] = [$"Must be a whole number from {min} to {max}."];
            return fallback;
        }

        return value;
    }

    internal sealed record ItemPage(IReadOnlyList<Item> Items, int Page, int PageSize, int Total);

    internal sealed record LoginBody(string AccessToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt);

    internal sealed record MeBody(string User);
}
