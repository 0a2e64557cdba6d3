using LoadLab.Engine.Configuration;
using LoadLab.Engine.Scenarios;
using LoadLab.Scenarios.Common;

namespace LoadLab.Scenarios.Catalog;

/// <summary>The <c>browse_catalog</c> scenario of the library (target <c>api</c>).</summary>
internal sealed class BrowseCatalogFactory : IScenarioFactory
{
    public const string ScenarioName = "browse_catalog";

    public string Name => ScenarioName;

    public string Description => "A visitor lists the catalogue, searches it and views items, with think times (api-service).";

    public IReadOnlyList<ScenarioSetting> Settings { get; } =
    [
        new("think_time", "duration", "0ms", "Mean pause between actions."),
        new("think_jitter", "ratio", "0.5", "Spread of the pause around the mean (0.5 gives 0.5x to 1.5x)."),
        new("page_size", "integer", "20", "Items per page (1 to 100)."),
        new("max_page", "integer", "5", "Listing pages are drawn from 1 to this."),
        new("views", "integer", "2", "Items viewed per visit (0 to 20)."),
        .. LibraryHttp.Settings,
    ];

    public ScenarioProps Create(ScenarioSettings settings, ScenarioFactoryContext context)
    {
        var options = ReadOptions(settings, context);
        return LibraryHttp.Scenario(ScenarioName, settings, client => new BrowseCatalog(client, options), (flow, ctx) => flow.RunAsync(ctx));
    }

    internal static BrowseCatalogOptions ReadOptions(ScenarioSettings settings, ScenarioFactoryContext context) => new()
    {
        ApiUrl = LibraryHttp.Target(settings, context, "api"),
        ThinkTime = new ThinkTime(LibraryHttp.NonNegativeDuration(settings, "think_time", TimeSpan.Zero), settings.GetRatio("think_jitter", 0.5)),
        PageSize = LibraryHttp.IntInRange(settings, "page_size", 20, 1, 100),
        MaxPage = LibraryHttp.IntInRange(settings, "max_page", 5, 1, 10_000),
        Views = LibraryHttp.IntInRange(settings, "views", 2, 0, 20),
    };
}
