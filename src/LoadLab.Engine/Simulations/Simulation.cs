namespace LoadLab.Engine.Simulations;

/// <summary>Factory methods for load simulations, with NBomber's names.</summary>
public static class Simulation
{
    /// <summary>Open model: <paramref name="rate"/> arrivals per <paramref name="interval"/> for <paramref name="during"/>.</summary>
    /// <param name="rate">Arrivals per interval.</param>
    /// <param name="interval">The interval.</param>
    /// <param name="during">How long.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during) => new Inject(rate, interval, during);

    /// <summary>Open model: ramp the rate from the previous phase's to <paramref name="rate"/>.</summary>
    /// <param name="rate">The rate per interval reached at the end.</param>
    /// <param name="interval">The interval.</param>
    /// <param name="during">How long.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation RampingInject(double rate, TimeSpan interval, TimeSpan during) => new RampingInject(rate, interval, during);

    /// <summary>Open model: a random rate per interval between the bounds.</summary>
    /// <param name="minRate">The lowest rate per interval.</param>
    /// <param name="maxRate">The highest rate per interval.</param>
    /// <param name="interval">The interval.</param>
    /// <param name="during">How long.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation InjectRandom(double minRate, double maxRate, TimeSpan interval, TimeSpan during) => new InjectRandom(minRate, maxRate, interval, during);

    /// <summary>Open model: a rate until a number of arrivals.</summary>
    /// <param name="rate">Arrivals per interval.</param>
    /// <param name="interval">The interval.</param>
    /// <param name="iterations">How many arrivals.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation IterationsForInject(double rate, TimeSpan interval, long iterations) => new IterationsForInject(rate, interval, iterations);

    /// <summary>Closed model: a constant number of virtual users.</summary>
    /// <param name="copies">Virtual users.</param>
    /// <param name="during">How long.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) => new KeepConstant(copies, during);

    /// <summary>Closed model: ramp the number of virtual users.</summary>
    /// <param name="copies">Virtual users at the end.</param>
    /// <param name="during">How long.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) => new RampingConstant(copies, during);

    /// <summary>Closed model: virtual users share a number of iterations.</summary>
    /// <param name="copies">Virtual users.</param>
    /// <param name="iterations">Iterations in all.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation IterationsForConstant(int copies, long iterations) => new IterationsForConstant(copies, iterations);

    /// <summary>No load.</summary>
    /// <param name="during">How long.</param>
    /// <returns>The simulation.</returns>
    public static LoadSimulation Pause(TimeSpan during) => new Pause(during);
}
