using System.Globalization;
using System.Text.Json;

namespace LoadLab.Chaos.GameDays;

/// <summary>Checks the probes of a hypothesis: HTTP status, the run's live statistics, PromQL.</summary>
internal sealed class ProbeRunner(GameDaySpec spec, LiveStatistics live, HttpClient http)
{
    public const string NoData = "no data";

    public async Task<(bool Passed, string Observed)> CheckAsync(ProbeSpec probe, CancellationToken cancellationToken)
    {
        switch (probe.Kind)
        {
            case ProbeKind.Http:
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(2));
                    using var response = await http.GetAsync(probe.Url, timeout.Token).ConfigureAwait(false);
                    return ((int)response.StatusCode == probe.ExpectStatus, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    return (false, e is OperationCanceledException ? "no answer within 2s" : "unreachable: " + e.Message);
                }

            case ProbeKind.Statistic:
                return Judge(probe, live.Get(probe.Statistic, probe.Scenario, probe.Window));
            default:
                return Judge(probe, await QueryAsync(probe.Query!, cancellationToken).ConfigureAwait(false));
        }
    }

    private static (bool, string) Judge(ProbeSpec probe, double? value)
    {
        if (value is not { } v || double.IsNaN(v))
        {
            return (false, NoData);
        }

        var passed = (probe.Max is null || v <= probe.Max) && (probe.Min is null || v >= probe.Min);
        return (passed, probe.Format(v));
    }

    private async Task<double?> QueryAsync(string query, CancellationToken cancellationToken)
    {
        try
        {
            var url = new Uri(spec.Prometheus!, "api/v1/query?query=" + Uri.EscapeDataString(query));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync(url, timeout.Token).ConfigureAwait(false);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
            var data = document.RootElement.GetProperty("data");
            var result = data.GetProperty("result");
            if (data.GetProperty("resultType").GetString() == "scalar")
            {
                return Parse(result[1].GetString());
            }

            // Every series must hold, so the worst one counts: the highest (a max bound is the usual case).
            double? worst = null;
            foreach (var series in result.EnumerateArray())
            {
                var value = Parse(series.GetProperty("value")[1].GetString());
                if (value is { } v && (worst is null || v > worst))
                {
                    worst = v;
                }
            }

            return worst;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Unreachable Prometheus, a query error or no answer in time: the probe has no data and fails.
            return null;
        }
    }

    private static double? Parse(string? text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
