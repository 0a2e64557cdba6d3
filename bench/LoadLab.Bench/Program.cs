using LoadLab.Bench.Infrastructure;

// LoadLab's performance suite: `dotnet run -c Release --project bench/LoadLab.Bench -- [engine|http|compare|all] [--quick] [--only=NAME]`.
// Prints a table per suite and writes bench/results/<suite>.json. --only=NAME runs one engine benchmark (e.g. rate-split).
var only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..];
var suites = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).DefaultIfEmpty(only is null ? "all" : "engine").ToHashSet(StringComparer.Ordinal);
var quick = args.Contains("--quick");
if (only is not null && !LoadLab.Bench.Engine.EngineBenchmarks.Names.Contains(only))
{
    Console.Error.WriteLine($"--only={only}: no such engine benchmark; expected one of: {string.Join(", ", LoadLab.Bench.Engine.EngineBenchmarks.Names)}");
    return 2;
}

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
    // One engine benchmark alone writes engine-NAME.json, so it never overwrites the whole suite's engine.json.
    var table = new BenchTable(only is not null && name == "engine" ? $"{name}-{only}" : name);
    body(table);
    failed += table.Rows.Count(r => r.Passed == false);
    Console.WriteLine($"  -> {table.Write(output)}");
}

RunSuite("engine", t => LoadLab.Bench.Engine.EngineBenchmarks.Run(t, quick, only));
RunSuite("http", t => LoadLab.Bench.Http.HttpBenchmarks.RunAsync(t, quick).GetAwaiter().GetResult());
RunSuite("compare", _ => LoadLab.Bench.Compare.CompareValidationBench.Run(Path.Combine(output, "compare-validation.json"), pairs: quick ? 200 : 1000));
Console.WriteLine(failed == 0 ? "\nAll benchmark targets met." : $"\n{failed} benchmark target(s) missed.");
return failed == 0 ? 0 : 1;
