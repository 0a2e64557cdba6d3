using System.Globalization;
using Bogus;
using LoadLab.Engine.Scenarios;
using LoadLab.Http;
using LoadLab.Scenarios.Common;
// Inside LoadLab.* namespaces 'Http' names the LoadLab.Http namespace, so the class gets an alias.
using HttpApi = LoadLab.Http.Http;

namespace LoadLab.Scenarios.Catalog;

/// <summary>Options of <see cref="BrowseCatalog"/>.</summary>
public sealed class BrowseCatalogOptions
{
    /// <summary>Gets or sets the api-service base URL.</summary>
    /// <value>Must be an absolute http(s) URL.</value>
    public Uri ApiUrl { get; set; } = new("http://127.0.0.1:5080/");

    /// <summary>Gets or sets the pause between actions.</summary>
    /// <value>Defaults to none.</value>
    public ThinkTime ThinkTime { get; set; } = ThinkTime.None;

    /// <summary>Gets or sets the page size of listings and searches.</summary>
    /// <value>Defaults to <c>20</c> (api-service allows 1 to 100).</value>
    public int PageSize { get; set; } = 20;

    /// <summary>Gets or sets how many listing pages a visitor may go deep (the page is drawn from 1 to this).</summary>
    /// <value>Defaults to <c>5</c>.</value>
    public int MaxPage { get; set; } = 5;

    /// <summary>Gets or sets how many items a visitor views after the search.</summary>
    /// <value>Defaults to <c>2</c>.</value>
    public int Views { get; set; } = 2;
}

/// <summary>
/// A visitor browses api-service: lists a page of the catalogue, searches for a product word, and views
/// items found on the way, with think times between actions. Steps: list_items, search_items, view_item.
/// </summary>
public sealed class BrowseCatalog
{
    private static readonly HttpCheck s_itemsPresent = HttpCheck.JsonField("json items present", "items", v => v.ValueKind == System.Text.Json.JsonValueKind.Array);
    private static readonly HttpCheck s_itemHasId = HttpCheck.JsonField("id");
    private readonly HttpClient _client;
    private readonly BrowseCatalogOptions _options;
    private readonly Uri _items;

    /// <summary>Initializes a new instance of the <see cref="BrowseCatalog"/> class.</summary>
    /// <param name="client">The shared client.</param>
    /// <param name="options">The options.</param>
    public BrowseCatalog(HttpClient client, BrowseCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _items = new Uri(options.ApiUrl, "v1/items");
    }

    /// <summary>Runs one visit.</summary>
    /// <param name="ctx">The iteration.</param>
    /// <returns>Ok, or the first failed step.</returns>
    public async Task<Response> RunAsync(IScenarioContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var random = ctx.Random;
        var pageSize = _options.PageSize.ToString(CultureInfo.InvariantCulture);
        var page = random.Next(1, _options.MaxPage + 1).ToString(CultureInfo.InvariantCulture);

        var list = await Step.Run("list_items", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("GET", new Uri($"{_items}?page={page}&page_size={pageSize}"))
            .ExpectStatus(200).WithCheck(s_itemsPresent), ctx)).ConfigureAwait(false);
        if (list.IsError)
        {
            return list;
        }

        await _options.ThinkTime.WaitAsync(ctx).ConfigureAwait(false);

        // Words the catalogue's product names are made of (Bogus commerce), so most searches find something.
        var faker = new Faker { Random = new Randomizer(ctx.Seed) };
        var term = random.NextDouble() < 0.5 ? faker.Commerce.ProductMaterial() : faker.Commerce.Product();
        var search = await Step.Run("search_items", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("GET", new Uri($"{_items}?q={Uri.EscapeDataString(term)}&page_size={pageSize}"))
            .ExpectStatus(200).WithCheck(s_itemsPresent), ctx)).ConfigureAwait(false);
        if (search.IsError)
        {
            return search;
        }

        var ids = ItemIds(search.Payload!);
        if (ids.Count == 0)
        {
            ids = ItemIds(list.Payload!);
        }

        for (var i = 0; i < _options.Views && ids.Count > 0; i++)
        {
            await _options.ThinkTime.WaitAsync(ctx).ConfigureAwait(false);
            var id = ids[random.Next(ids.Count)];
            var view = await Step.Run("view_item", ctx, () => HttpApi.Send(_client, HttpApi.CreateRequest("GET", new Uri(_items + "/" + id))
                .ExpectStatus(200).WithCheck(s_itemHasId), ctx)).ConfigureAwait(false);
            if (view.IsError)
            {
                return view;
            }
        }

        return FlowResult.Ok;
    }

    private static List<string> ItemIds(HttpReply reply)
    {
        var ids = new List<string>();
        if (reply.TryGetJson("items", out var items) && items.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("id", out var id))
                {
                    ids.Add(id.GetRawText());
                }
            }
        }

        return ids;
    }
}
