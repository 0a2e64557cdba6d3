using LoadLab.Compare.Validation;
using Xunit.Abstractions;

namespace LoadLab.Compare.Tests.Validation;

public class ValidationSimulationTests(ITestOutputHelper output)
{
    /*
     * The fast version of the issue's validation (the thorough 1,000-pair run is in bench/). With 100
     * pairs the bounds are widened by the binomial sampling error so that the test is meaningful and
     * not flaky (Binomial tail probabilities):
     * A/A: a true rate of 1% exceeds 4 of 100 with probability 0.0034.
     * A/B 10% worse: a true rate of 95% falls below 89 of 100 with probability 0.004.
     * 2% shift: a true rate of 5% exceeds 11 of 100 with probability 0.004.
     * (The bench measured about 0%, 98% and 3.5%, far from these bounds.)
     */
    [Fact]
    public void Run_100Pairs_RatesWithinIssueBounds()
    {
        var rows = ValidationSimulation.Run(pairs: 100, samples: 5000, seed: 2026);
        output.WriteLine(ValidationSimulation.ToMarkdown(rows));

        Assert.InRange(rows[0].Flagged, 0, 4);
        Assert.InRange(rows[1].Flagged, 89, 100);
        Assert.InRange(rows[2].Flagged, 0, 11);
    }
}
