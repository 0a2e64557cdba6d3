namespace LoadLab.Compare.Statistics;

/// <summary>The standard normal distribution.</summary>
public static class Normal
{
    /// <summary>Gets P(Z &lt;= z).</summary>
    /// <param name="z">The value.</param>
    /// <returns>The cumulative probability.</returns>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Gets P(Z &gt; z), accurate in the far tail.</summary>
    /// <param name="z">The value.</param>
    /// <returns>The upper-tail probability.</returns>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>The complementary error function (W. J. Cody's rational approximations, relative error below 1e-15).</summary>
    /// <param name="x">The value.</param>
    /// <returns>erfc(x).</returns>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var ax = Math.Abs(x);
        double result;
        if (ax < 0.5)
        {
            // erf by its rational approximation on [0, 0.5].
            var t = x * x;
            var top = (((((0.185777706184603153 * t) + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t) + 3209.37758913846947;
            var bottom = ((((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t) + 2844.23683343917062;
            return 1 - (x * top / bottom);
        }

        if (ax < 4)
        {
            var top = (((((((((2.15311535474403846e-8 * ax) + 0.564188496988670089) * ax + 8.88314979438837594) * ax + 66.1191906371416295) * ax + 298.635138197400131) * ax + 881.952221241769090) * ax + 1712.04761263407058) * ax + 2051.07837782607147) * ax) + 1230.33935479799725;
            var bottom = (((((((ax + 15.7449261107098347) * ax + 117.693950891312499) * ax + 537.181101862009858) * ax + 1621.38957456669019) * ax + 3290.79923573345963) * ax + 4362.61909014324716) * ax + 3439.36767414372164) * ax + 1230.33935480374942;
            result = Math.Exp(-ax * ax) * top / bottom;
        }
        else if (ax < 27)
        {
            var z = 1 / (ax * ax);
            var top = (((((0.0163153871373020978 * z) + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
            var bottom = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z + 2.33520497626869185e-3;
            var r = z * top / bottom;
            result = Math.Exp(-ax * ax) / ax * (0.564189583547756287 - r);
        }
        else
        {
            result = 0;
        }

        return x < 0 ? 2 - result : result;
    }

    /// <summary>The inverse of <see cref="Cdf"/> (P. J. Acklam's algorithm with one Halley refinement).</summary>
    /// <param name="p">A probability strictly between 0 and 1.</param>
    /// <returns>z such that P(Z &lt;= z) = p.</returns>
    /// <exception cref="ArgumentOutOfRangeException">p is not strictly between 0 and 1.</exception>
    public static double Quantile(double p)
    {
        if (p <= 0 || p >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1 is expected.");
        }

        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - low)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        // One step of Halley's method brings the relative error to machine precision.
        var e = Cdf(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - (u / (1 + (x * u / 2)));
    }
}
