using LoadLab.Engine.Configuration;
using LoadLab.Scenarios.Catalog;
using LoadLab.Scenarios.Login;
using LoadLab.Scenarios.Mixed;
using LoadLab.Scenarios.Payments;

namespace LoadLab.Scenarios;

/// <summary>
/// The scenario library: realistic browsing, login and payment traffic against the sample targets
/// (docs/scenarios.md). Register with <c>catalog.Add(ScenarioLibrary.Factories)</c>; profiles name the
/// scenarios and give their targets (<c>api</c>, <c>payments</c>) under <c>targets:</c>.
/// </summary>
public static class ScenarioLibrary
{
    /// <summary>Gets the factories: browse_catalog, login, payment_flow and mixed_traffic.</summary>
    public static IReadOnlyList<IScenarioFactory> Factories { get; } =
        [new BrowseCatalogFactory(), new LoginFactory(), new PaymentFlowFactory(), new MixedTrafficFactory()];
}
