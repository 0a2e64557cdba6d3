namespace LoadLab.Reports.Tests.Browser;

/// <summary>Runs the tests that start Chromium one at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection
{
    public const string Name = "chromium";
}
