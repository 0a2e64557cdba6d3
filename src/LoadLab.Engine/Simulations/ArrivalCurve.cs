namespace LoadLab.Engine.Simulations;

/// <summary>
/// The cumulative arrival function A(t) of one open-model phase and its inverse. Arrival number k of the
/// scenario (counting from 0 over all open phases) is intended at the instant where the scenario's
/// cumulative arrivals reach k, so consecutive phases join without a gap or a burst.
/// </summary>
internal abstract class ArrivalCurve
{
    /// <summary>Gets the phase length in seconds.</summary>
    public abstract double Length { get; }

    /// <summary>Gets the arrivals in the whole phase (may be fractional).</summary>
    public abstract double Total { get; }

    /// <summary>Gets the rate per second at the end of the phase (a following ramp starts from it).</summary>
    public abstract double EndRate { get; }

    /// <summary>Gets the intended rate per second at phase time <paramref name="t"/>.</summary>
    public abstract double RateAt(double t);

    /// <summary>Gets the phase time at which <paramref name="a"/> arrivals have accumulated (0 &lt;= a &lt; Total).</summary>
    public abstract double TimeOf(double a);

    public static ArrivalCurve For(LoadSimulation simulation, double previousRate, int seed) => simulation switch
    {
        Inject i => new LinearCurve(i.PerSecond, i.PerSecond, i.During.TotalSeconds),
        RampingInject r => new LinearCurve(previousRate, r.PerSecond, r.During.TotalSeconds),
        IterationsForInject f => new LinearCurve(f.PerSecond, f.PerSecond, f.Iterations / f.PerSecond),
        InjectRandom x => new RandomCurve(x, seed),
        _ => throw new ArgumentException($"{simulation.Kind} is not an open-model simulation.", nameof(simulation)),
    };
}

internal sealed class LinearCurve(double startRate, double endRate, double length) : ArrivalCurve
{
    public override double Length => length;

    public override double Total => (startRate + endRate) / 2 * length;

    public override double EndRate => endRate;

    public override double RateAt(double t) => startRate + ((endRate - startRate) * Math.Clamp(t / length, 0, 1));

    public override double TimeOf(double a)
    {
        if (a <= 0)
        {
            return 0;
        }

        var slope = (endRate - startRate) / length;
        if (Math.Abs(slope) < 1e-12)
        {
            return a / startRate;
        }

        // Solves startRate*t + slope*t^2/2 = a in the form that stays exact when startRate is 0.
        var disc = (startRate * startRate) + (2 * slope * a);
        return 2 * a / (startRate + Math.Sqrt(Math.Max(disc, 0)));
    }
}

internal sealed class RandomCurve : ArrivalCurve
{
    private readonly double _interval;
    private readonly double[] _rates;
    private readonly double[] _cumulative;

    public RandomCurve(InjectRandom simulation, int seed)
    {
        _interval = simulation.Interval.TotalSeconds;
        Length = simulation.During.TotalSeconds;
        var n = (int)Math.Ceiling(Length / _interval);
        _rates = new double[n];
        _cumulative = new double[n + 1];
        // The same seed on every segment of a distributed run, so that all shares draw the same rates.
        var random = new Random(seed);
        for (var i = 0; i < n; i++)
        {
            var perInterval = simulation.MinRate + (random.NextDouble() * (simulation.MaxRate - simulation.MinRate));
            _rates[i] = perInterval / _interval;
            var span = Math.Min(_interval, Length - (i * _interval));
            _cumulative[i + 1] = _cumulative[i] + (_rates[i] * span);
        }
    }

    public override double Length { get; }

    public override double Total => _cumulative[^1];

    public override double EndRate => _rates.Length == 0 ? 0 : _rates[^1];

    public override double RateAt(double t)
    {
        var i = Math.Clamp((int)(t / _interval), 0, _rates.Length - 1);
        return _rates.Length == 0 ? 0 : _rates[i];
    }

    public override double TimeOf(double a)
    {
        var lo = 0;
        var hi = _rates.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_cumulative[mid] <= a)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var rate = _rates[lo];
        return (lo * _interval) + (rate > 0 ? (a - _cumulative[lo]) / rate : 0);
    }
}
