using System.CommandLine;
using System.Globalization;
using LoadLab.Cli.Running;
using LoadLab.Engine.Configuration;
using LoadLab.Engine.Segments;
using LoadLab.Targets;

namespace LoadLab.Cli.Commands;

/// <summary>
/// <c>loadlab demo</c>: starts both sample services in-process on free loopback ports and runs a mixed
/// browse, login and payment profile against them. Needs nothing but the .NET SDK.
/// </summary>
internal sealed class DemoCommand : BaseCommand
{
    private static readonly Option<int> s_duration = new("--duration") { Description = "Measured seconds (10 to 3600).", DefaultValueFactory = _ => 60 };
    private static readonly Option<string> s_results = new("--results") { Description = "The results folder.", DefaultValueFactory = _ => "results" };

    private static readonly System.Text.CompositeFormat s_profile = System.Text.CompositeFormat.Parse(ProfileTemplate);

    private readonly ScenarioCatalog _catalog;
    private readonly RunPipeline _pipeline;

    public DemoCommand(ScenarioCatalog catalog, Sinks.SinkRegistry sinks)
        : base("demo", "Run the sample services in-process and a mixed browse + payment profile against them.")
    {
        _catalog = catalog;
        _pipeline = new RunPipeline(sinks);
        Options.Add(s_duration);
        Options.Add(s_results);
    }

    /// <summary>The demo profile; {0} api URL, {1} payments URL, {2} ramp seconds, {3} steady seconds, {4} total seconds.</summary>
    internal const string ProfileTemplate = """
        name: demo
        labels: {{ service: demo-shop, environment: local, release: demo }}
        targets: {{ api: "{0}", payments: "{1}" }}
        seed: 7
        scenarios:
          - name: browse_catalog
            warm_up: 2s
            load:
              - ramping_inject: {{ rate: 30, interval: 1s, during: {2}s }}
              - inject: {{ rate: 30, interval: 1s, during: {3}s }}
            thresholds:
              - "p95(response_time) < 800ms"
              - "error_rate < 2%"
          - name: login
            load:
              - inject: {{ rate: 4, interval: 1s, during: {4}s }}
          - name: payment_flow
            max_concurrency: 100
            load:
              - ramping_inject: {{ rate: 8, interval: 1s, during: {2}s }}
              - inject: {{ rate: 8, interval: 1s, during: {3}s }}
            thresholds:
              - "p95(response_time) < 3s"
              - "error_rate < 5%"
        """;

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var duration = parseResult.GetValue(s_duration);
        if (duration is < 10 or > 3600)
        {
            throw new UserInputException($"--duration {duration}: expected whole seconds between 10 and 3600.");
        }

        var output = Out(parseResult);
        await output.WriteLineAsync("Starting the sample services (api-service, payments-service) on free loopback ports...");
        await using var targets = await TargetHost.StartAsync(new TargetOptions { Release = "demo", Environment = "local", Seed = 7, LogOutput = TextWriter.Null }, cancellationToken);
        await output.WriteLineAsync($"  api-service      {targets.ApiUrl}");
        await output.WriteLineAsync($"  payments-service {targets.PaymentsUrl}");
        var ramp = Math.Max(2, duration / 6);
        var yaml = string.Format(CultureInfo.InvariantCulture, s_profile, targets.ApiUrl, targets.PaymentsUrl, ramp, duration - ramp, duration);
        var profile = new ProfileLoader(_catalog).LoadText(yaml, "demo (built in)", new ProfileOverrides());
        var (exit, _, path) = await _pipeline.ExecuteAsync(
            new RunPipeline.Request(profile, parseResult.GetValue(s_results)!, [], Segment.Whole, null, false, output, Error(parseResult)),
            cancellationToken);
        if (path is not null)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            await Error(parseResult).WriteLineAsync($"Open {Path.Combine(dir, "report.html")} for charts; summary.md and junit.xml are beside it.");
        }

        return exit;
    }
}
