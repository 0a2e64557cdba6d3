using LoadLab.Chaos.Faults;

namespace LoadLab.Chaos.Tests.Faults;

public class FaultFileTests
{
    private const string DesignExample = """
        faults:
          - name: items-slow
            match: { path: /v1/items, method: GET }   # optional; path is a prefix
            latency: 300ms                           # or "lognormal(200ms, 800ms)"
            rate: 0.3                                # share of matching requests, 0..1
          - name: items-503
            match: { path: /v1/items }
            status: { code: 503, body: '{"error":"unavailable"}' }
            rate: 0.1
          - { name: payments-reset, abort: true, rate: 0.05 }     # connection reset
          - { name: payments-hang, hang: 30s, rate: 0.01 }        # hold until the client gives up
          - name: payments-lost
            outcome: { code: 500, body: lost }
            rate: 0.02
            window: { after: 10s, for: 1m }
          - { name: slow-tail, latency: "lognormal(200ms, 800ms)", rate: 30% }
        """;

    [Fact]
    public void Parse_DesignExample_ReadsEveryFaultKind()
    {
        var faults = FaultFile.Parse(DesignExample, "faults.yaml");

        Assert.Equal(["items-slow", "items-503", "payments-reset", "payments-hang", "payments-lost", "slow-tail"], faults.Select(f => f.Name));
        Assert.Equal([FaultKind.Latency, FaultKind.Status, FaultKind.Abort, FaultKind.Hang, FaultKind.Outcome, FaultKind.Latency], faults.Select(f => f.Kind));
        Assert.Equal(TimeSpan.FromMilliseconds(300), faults[0].Latency!.Median);
        Assert.Null(faults[0].Latency!.P99);
        Assert.Equal("/v1/items", faults[0].Match!.Path);
        Assert.Equal("GET", faults[0].Match!.Method);
        Assert.Equal(0.3, faults[0].Rate);
        Assert.Equal(503, faults[1].Status!.Code);
        Assert.Equal("{\"error\":\"unavailable\"}", faults[1].Status!.Body);
        Assert.Equal(TimeSpan.FromSeconds(30), faults[3].Hang);
        Assert.Equal(TimeSpan.FromSeconds(10), faults[4].Window!.After);
        Assert.Equal(TimeSpan.FromMinutes(1), faults[4].Window!.For);
        Assert.Equal(TimeSpan.FromMilliseconds(800), faults[5].Latency!.P99);
        Assert.Equal(0.3, faults[5].Rate, 10);
    }

    [Fact]
    public void Parse_Json_ReadsTheSameFormat()
    {
        var faults = FaultFile.Parse("""{"faults":[{"name":"a","rate":0.5,"status":{"code":503,"body":"x"}}]}""", "request body");

        var fault = Assert.Single(faults);
        Assert.Equal(FaultKind.Status, fault.Kind);
        Assert.Equal(0.5, fault.Rate);
    }

    [Fact]
    public void ToJson_ThenParse_RoundTrips()
    {
        var faults = FaultFile.Parse(DesignExample, "faults.yaml");

        var again = FaultFile.Parse(FaultFile.ToJson(faults), "json");

        Assert.Equal(FaultFile.ToJson(faults), FaultFile.ToJson(again));
        Assert.Equal("lognormal(200ms, 800ms)", again[5].Latency!.ToString());
    }

    [Fact]
    public void Parse_ManyErrors_ReportsEveryOneWithLineAndColumn()
    {
        var text = """
            faults:
              - name: a
                rate: 1.5
                latency: 300ms
              - name: b
                rate: 0.1
                explode: true
              - name: c
                rate: 0.1
                latency: 3 parsecs
              - name: d
                rate: 0.1
                hang: soon
              - name: e
                rate: -0.1
                status: { code: 700 }
              - name: a
                abort: true
            """;

        var e = Assert.Throws<FaultSpecException>(() => FaultFile.Parse(text, "faults.yaml"));

        Assert.Equal(
            [
                "faults.yaml:3:11: faults[0].rate: expected a number between 0 and 1, got 1.5",
                "faults.yaml:7:5: faults[1].explode: unknown fault kind or field 'explode' (expected name, rate, match, window and one of latency, status, abort, hang, outcome)",
                "faults.yaml:5:5: faults[1].kind: expected one fault kind: latency, status, abort, hang, outcome",
                "faults.yaml:10:14: faults[2].latency: expected a latency such as 300ms or lognormal(200ms, 800ms), got '3 parsecs'",
                "faults.yaml:13:11: faults[3].hang: expected a duration such as 300ms, 5s, 2m or 1h, got 'soon'",
                "faults.yaml:15:11: faults[4].rate: expected a number between 0 and 1, got -0.1",
                "faults.yaml:16:21: faults[4].status.code: expected a status code between 100 and 599, got 700",
                "faults.yaml:17:5: faults[5].rate: expected a rate between 0 and 1 (the share of matching requests)",
                "faults.yaml:17:5: faults[5].name: expected a unique name, 'a' is used twice",
            ],
            e.Errors);
        Assert.StartsWith("The fault file 'faults.yaml' is invalid.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("faults: [ { name: x, rate: 0.1", "faults.yaml:2:1: (document): expected valid YAML or JSON")]
    [InlineData("faults: 3", "faults.yaml:1:9: faults: expected a list of faults")]
    [InlineData("fault: []", "faults.yaml:1:1: fault: unknown field (expected 'faults')")]
    [InlineData("faults: [ { name: x, rate: 0.1, latency: 1s, status: 503 } ]", "faults[0].kind: expected exactly one fault kind of latency, status, abort, hang, outcome, got 2")]
    [InlineData("faults: [ { name: x, rate: 0.1, latency: 1s, match: { path: items } } ]", "faults[0].match.path: expected a path prefix starting with '/', got 'items'")]
    [InlineData("faults: [ { name: x, rate: 0.1, latency: 1s, match: { method: FETCH } } ]", "faults[0].match.method: expected an HTTP method")]
    [InlineData("faults: [ { name: x, rate: 0.1, latency: 'lognormal(800ms, 200ms)' } ]", "faults[0].latency: expected the p99 of lognormal(median, p99) to be at least the median, got lognormal(800ms, 200ms)")]
    [InlineData("faults: [ { name: 'a b', rate: 0.1, abort: true } ]", "faults[0].name: expected letters, digits, '-', '_' or '.', got 'a b'")]
    [InlineData("faults: [ { name: x, rate: lots, abort: true } ]", "faults.yaml:1:28: faults[0].rate: expected a rate between 0 and 1 (or a percentage), got 'lots'")]
    public void Parse_BadInput_ThrowsWithClearMessage(string text, string expected)
    {
        var e = Assert.Throws<FaultSpecException>(() => FaultFile.Parse(text, "faults.yaml"));

        Assert.Contains(e.Errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingTheFile()
    {
        var e = Assert.Throws<FaultSpecException>(() => FaultFile.Load("/nonexistent/faults.yaml"));

        Assert.Equal("The fault file '/nonexistent/faults.yaml' does not exist.", e.Message);
    }

    [Fact]
    public void Parse_EmptyList_ReturnsNoFaults()
    {
        Assert.Empty(FaultFile.Parse("faults: []", "x"));
        Assert.Empty(FaultFile.Parse("", "x"));
    }
}
