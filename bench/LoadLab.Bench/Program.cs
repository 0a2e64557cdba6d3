using LoadLab.Bench.Infrastructure;

// LoadLab's performance suite: `dotnet run -c Release --project bench/LoadLab.Bench -- [engine|http|compare|all] [--quick]`.
// Prints a table per suite and writes bench/results/<suite>.json.
var suites = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).DefaultIfEmpty("all").ToHashSet(StringComparer.Ordinal);
var quick = args.Contains("--quick");
var output = Path.GetFullPath(Environment.GetEnvironmentVariable("LOADLAB_BENCH_RESULTS") ?? Path.Combine("bench", "results"));
var failed = 0;
void RunSuite(string name, Action<BenchTable> body)
{
    if (!suites.Contains(name) && !suites.Contains("all"))
    {
        return;
    }

    Console.WriteLine($"\n== {name} ==");
    BenchTable.Header();
    var table = new BenchTable(name);
    body(table);
    failed += table.Rows.Count(r => r.Passed == false);
    Console.WriteLine($"  -> {table.Write(output)}");
}

RunSuite("engine", t => LoadLab.Bench.Engine.EngineBenchmarks.Run(t, quick));
RunSuite("http", t => LoadLab.Bench.Http.HttpBenchmarks.RunAsync(t, quick).GetAwaiter().GetResult());
RunSuite("compare", _ => LoadLab.Bench.Compare.CompareValidationBench.Run(Path.Combine(output, "compare-validation.json"), pairs: quick ? 200 : 1000));
Console.WriteLine(failed == 0 ? "\nAll benchmark targets met." : $"\n{failed} benchmark target(s) missed.");
return failed == 0 ? 0 : 1;
