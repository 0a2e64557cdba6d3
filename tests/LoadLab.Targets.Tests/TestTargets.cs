using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LoadLab.Targets.Tests;

/// <summary>Collects the JSON log lines of the services under test.</summary>
internal sealed class LogCapture : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public override void WriteLine(string? value) => _lines.Enqueue(value ?? string.Empty);

    public override void Write(char value) => throw new NotSupportedException("The JSON logger writes whole lines.");

    public IReadOnlyList<JsonElement> Parsed() => Lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
}

/// <summary>Starts real targets on 127.0.0.1 with free ports, fast simulated latencies and captured logs.</summary>
internal static class TestTargets
{
    public const string AdminToken = "admin-test-token-6f1e";

    public static TargetOptions Options(LogCapture? logs = null, string? dataDirectory = null)
    {
        var options = new TargetOptions
        {
            Release = "1.2.3-test",
            Environment = "test",
            Seed = 7,
            LatencyScale = 0,
            CardProcessorMedian = TimeSpan.FromMilliseconds(1),
            CardProcessorP99 = TimeSpan.FromMilliseconds(3),
            CardProcessorRetries = 0,
            AdminToken = AdminToken,
            DataDirectory = dataDirectory,
            LogOutput = logs ?? TextWriter.Null,
        };
        return options;
    }

    public static Task<TargetHost> StartAsync(TargetOptions options) => TargetHost.StartAsync(options, CancellationToken.None);

    public static HttpClient Client(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static object Payment(string card = "4242 4242 4242 4242", decimal amount = 25.50m, string currency = "EUR", string customer = "cus_alice") =>
        new { customer, amount, currency, card_number = card };

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, string path, object? body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "loadlab-targets-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The value of one series in a Prometheus text exposition, or null when absent.</summary>
    public static double? Sample(string exposition, string name, params (string Label, string Value)[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                continue;
            }

            if (labels.All(l => line.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                return double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
