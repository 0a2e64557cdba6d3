using Bogus;

namespace LoadLab.Targets.Api;

internal sealed record Item(int Id, string Name, string Category, string Description, decimal Price, string Currency, int Stock, string Sku);

/// <summary>The api-service catalogue: Bogus products from a fixed seed, so ids and names repeat from run to run.</summary>
internal sealed class Catalog
{
    public const int DefaultSeed = 42;

    public Catalog(int size, int? seed)
    {
        var id = 0;
        var faker = new Faker<Item>()
            .UseSeed(seed ?? DefaultSeed)
            .CustomInstantiator(f => new Item(
                ++id,
                f.Commerce.ProductName(),
                f.Commerce.Department(1),
                f.Commerce.ProductDescription(),
                Math.Round(f.Random.Decimal(1m, 500m), 2),
                "EUR",
                f.Random.Int(0, 250),
                f.Random.Replace("??-#####").ToUpperInvariant()));
        Items = faker.Generate(size);
    }

    public IReadOnlyList<Item> Items { get; }

    public Item? Find(int id) => id >= 1 && id <= Items.Count ? Items[id - 1] : null;

    public (IReadOnlyList<Item> Page, int Total) Search(string? query, int page, int pageSize)
    {
        IEnumerable<Item> matches = Items;
        if (!string.IsNullOrWhiteSpace(query))
        {
            var q = query.Trim();
            matches = Items.Where(i => i.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                || i.Category.Contains(q, StringComparison.OrdinalIgnoreCase)
                || i.Sku.Equals(q, StringComparison.OrdinalIgnoreCase));
        }

        var all = matches as IReadOnlyList<Item> ?? matches.ToList();
        var skip = (long)(page - 1) * pageSize;
        var pageItems = skip >= all.Count ? [] : all.Skip((int)skip).Take(pageSize).ToList();
        return (pageItems, all.Count);
    }
}
