using LoadLab.Engine.Scenarios;

namespace LoadLab.Scenarios.Common;

/// <summary>A user's pause between actions: a mean with a uniform jitter around it, drawn from the iteration's random.</summary>
/// <param name="Mean">The mean pause; zero for none.</param>
/// <param name="Jitter">The spread as a share of the mean (0.5 gives 0.5 to 1.5 times the mean).</param>
public readonly record struct ThinkTime(TimeSpan Mean, double Jitter)
{
    /// <summary>Gets no pause.</summary>
    public static ThinkTime None => new(TimeSpan.Zero, 0);

    /// <summary>Waits for one pause.</summary>
    /// <param name="context">The iteration (its random and cancellation).</param>
    /// <returns>A task that completes after the pause.</returns>
    public Task WaitAsync(IScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Mean <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var factor = 1 + (Jitter * ((2 * context.Random.NextDouble()) - 1));
        return Task.Delay(Mean * Math.Max(0, factor), TimeProvider.System, context.CancellationToken);
    }
}
