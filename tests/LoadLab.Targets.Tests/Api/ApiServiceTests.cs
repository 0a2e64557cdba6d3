using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LoadLab.Targets.Tests.Api;

public sealed class ApiServiceTests : IAsyncLifetime
{
    private TargetHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestTargets.StartAsync(TestTargets.Options());
        _client = TestTargets.Client(_host.ApiUrl);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Health_ReportsServiceReleaseAndEnvironment()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("api-service", health.GetProperty("service").GetString());
        Assert.Equal("1.2.3-test", health.GetProperty("release").GetString());
        Assert.Equal("test", health.GetProperty("environment").GetString());
    }

    [Fact]
    public async Task Items_DefaultPaging_ReturnsFirstTwentyOfCatalog()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/v1/items");

        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("page_size").GetInt32());
        Assert.Equal(500, page.GetProperty("total").GetInt32());
        Assert.Equal(20, page.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page.GetProperty("items")[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Items_SecondPage_ContinuesWhereTheFirstEnded()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/v1/items?page=2&page_size=7");

        Assert.Equal(7, page.GetProperty("items").GetArrayLength());
        Assert.Equal(8, page.GetProperty("items")[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Items_PageBeyondTheEnd_ReturnsEmptyPage()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/v1/items?page=1000&page_size=100");

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        Assert.Equal(500, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Items_Search_ReturnsOnlyMatches()
    {
        var first = await _client.GetFromJsonAsync<JsonElement>("/v1/items/1");
        var category = first.GetProperty("category").GetString()!;

        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/items?q={Uri.EscapeDataString(category.ToUpperInvariant())}&page_size=100");

        Assert.InRange(page.GetProperty("total").GetInt32(), 1, 499);
        Assert.All(page.GetProperty("items").EnumerateArray(), item =>
            Assert.True(item.GetProperty("name").GetString()!.Contains(category, StringComparison.OrdinalIgnoreCase)
                || item.GetProperty("category").GetString()!.Contains(category, StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("page=0", "page", "Must be a whole number from 1 to 1000000.")]
    [InlineData("page=abc", "page", "Must be a whole number from 1 to 1000000.")]
    [InlineData("page_size=101", "page_size", "Must be a whole number from 1 to 100.")]
    public async Task Items_InvalidPaging_Returns400NamingTheParameter(string query, string field, string message)
    {
        using var response = await _client.GetAsync("/v1/items?" + query);
        var body = await TestTargets.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(message, body.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Item_Existing_ReturnsIt()
    {
        var item = await _client.GetFromJsonAsync<JsonElement>("/v1/items/42");

        Assert.Equal(42, item.GetProperty("id").GetInt32());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("name").GetString()));
        Assert.True(item.GetProperty("price").GetDecimal() > 0);
    }

    [Fact]
    public async Task Item_SameSeed_SameCatalogAcrossHosts()
    {
        await using var other = await TestTargets.StartAsync(TestTargets.Options());
        using var otherClient = TestTargets.Client(other.ApiUrl);

        var mine = await _client.GetStringAsync("/v1/items/9");
        var theirs = await otherClient.GetStringAsync("/v1/items/9");

        Assert.Equal(mine, theirs);
    }

    [Theory]
    [InlineData("501")]
    [InlineData("0")]
    [InlineData("abc")]
    public async Task Item_Missing_Returns404Problem(string id)
    {
        using var response = await _client.GetAsync("/v1/items/" + id);
        var body = await TestTargets.JsonAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"Item '{id}' does not exist.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Login_RightPassword_ReturnsTokenThatMeAccepts()
    {
        var (response, body) = await TestTargets.PostAsync(_client, "/v1/login", new { user = "user17", password = "pass-17" });
        var token = body.GetProperty("access_token").GetString();
        using var me = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var meResponse = await _client.SendAsync(me);
        var meBody = await TestTargets.JsonAsync(meResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);
        Assert.Equal("user17", meBody.GetProperty("user").GetString());
    }

    [Theory]
    [InlineData("user17", "pass-18")]
    [InlineData("user1001", "pass-1001")]
    [InlineData("admin", "pass-1")]
    public async Task Login_WrongCredentials_Returns401AndCountsLoginFailed(string user, string password)
    {
        var before = await SecurityEventAsync("login_failed");

        var (response, _) = await TestTargets.PostAsync(_client, "/v1/login", new { user, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before + 1, await SecurityEventAsync("login_failed"));
    }

    [Fact]
    public async Task Login_MissingPassword_Returns400()
    {
        using var content = new StringContent("""{"user":"user1"}""", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/v1/login", content);
        var body = await TestTargets.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The field is required.", body.GetProperty("errors").GetProperty("password")[0].GetString());
    }

    [Fact]
    public async Task Me_ForgedToken_Returns401AndCountsInvalidToken()
    {
        var before = await SecurityEventAsync("invalid_token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dXNlcjF8OTk5OTk5OTk5OQ.AAAA");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before + 1, await SecurityEventAsync("invalid_token"));
    }

    [Fact]
    public async Task Me_NoToken_Returns401AndCountsAccessDenied()
    {
        var before = await SecurityEventAsync("access_denied");

        using var response = await _client.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before + 1, await SecurityEventAsync("access_denied"));
    }

    private async Task<double> SecurityEventAsync(string name)
    {
        var metrics = await _client.GetStringAsync("/metrics");
        return TestTargets.Sample(metrics, "security_events_total", ("service", "api-service"), ("event", name)) ?? throw new InvalidOperationException("series missing");
    }
}
