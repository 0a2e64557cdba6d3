using LoadLab.Histograms;
using LoadLab.Results;

namespace LoadLab.Abstractions.Tests.Results;

public sealed class ResultFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "loadlab-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Write_ThenRead_RoundTripsTheStableCore()
    {
        var b = new HistogramSnapshotBuilder();
        b.Record(1500, 10);
        var result = new RunResult
        {
            RunId = "r1",
            Status = RunStatus.Failed,
            Labels = { ["service"] = "api", ["release"] = "1.4.2" },
            Scenarios = { new ScenarioResult { Name = "s", Iterations = { Ok = 10, Fail = 1 }, ResponseTime = b.Build().ToSummary() } },
        };
        var path = ResultFile.Write(result, _dir);
        var json = File.ReadAllText(path);
        Assert.Contains("\"schemaVersion\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"responseTime\"", json, StringComparison.Ordinal);
        var back = ResultFile.Read(_dir);
        Assert.Equal("r1", back.RunId);
        Assert.Equal(RunStatus.Failed, back.Status);
        Assert.Equal(10, back.Scenarios[0].ResponseTime.GetHistogram().TotalCount);
        Assert.Equal(0.0015, back.Scenarios[0].ResponseTime.P50, 5);
    }

    [Fact]
    public void Read_Missing_ThrowsWithThePath()
    {
        var e = Assert.Throws<ResultFileException>(() => ResultFile.Read(Path.Combine(_dir, "nope.json")));
        Assert.Contains("nope.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotJson_ThrowsWithLine()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, "{\n \"runId\": \"x\",\n oops }");
        var e = Assert.Throws<ResultFileException>(() => ResultFile.Read(file));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherSchemaVersion_ThrowsNamingBothVersions()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "v9.json");
        File.WriteAllText(file, "{\"schemaVersion\": 9, \"runId\": \"x\"}");
        var e = Assert.Throws<ResultFileException>(() => ResultFile.Read(file));
        Assert.Contains("schemaVersion 9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_GzPath_IsReadBack()
    {
        var file = Path.Combine(_dir, "r.json.gz");
        ResultFile.WriteTo(new RunResult { RunId = "gz" }, file);
        Assert.Equal("gz", ResultFile.Read(file).RunId);
    }
}
