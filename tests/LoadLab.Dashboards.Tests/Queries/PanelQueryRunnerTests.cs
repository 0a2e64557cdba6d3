namespace LoadLab.Dashboards.Tests.Queries;

/// <summary>The runner picks variable values in Grafana's order.</summary>
public sealed class PanelQueryRunnerTests
{
    [Theory]
    [InlineData(7, "1.4.2,1.9.0,1.10.0")]
    [InlineData(8, "1.10.0,1.9.0,1.4.2")]
    [InlineData(1, "1.10.0,1.4.2,1.9.0")]
    [InlineData(2, "1.9.0,1.4.2,1.10.0")]
    public void Sort_GrafanaSortOrder_OrdersReleases(int sort, string expected)
    {
        var sorted = PanelQueryRunner.Sort(["1.9.0", "1.10.0", "1.4.2", "1.9.0"], sort);

        Assert.Equal(expected, string.Join(',', sorted));
    }
}
