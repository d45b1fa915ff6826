namespace MapControl.Core.Hotspots;

/// <summary>The standard normal distribution: complementary error function and two-sided p-values.</summary>
public static class NormalDistribution
{
    /// <summary>
    /// Complementary error function erfc(x), by the Chebyshev fit of Numerical Recipes (erfcc), fractional error
    /// below 1.2·10⁻⁷ everywhere.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        var result = t * Math.Exp(poly);
        return x >= 0 ? result : 2.0 - result;
    }

    /// <summary>Two-sided p-value of a z-score: P(|Z| ≥ |z|) = erfc(|z|/√2).</summary>
    public static double TwoSidedP(double z) => double.IsNaN(z) ? 1.0 : Math.Min(1.0, Erfc(Math.Abs(z) / Math.Sqrt(2.0)));
}

/// <summary>The Benjamini–Hochberg (1995) step-up procedure controlling the false discovery rate.</summary>
public static class BenjaminiHochberg
{
    /// <summary>
    /// Which hypotheses are rejected at FDR level <paramref name="q"/>: sort the m p-values, find the largest rank k with
    /// p₍k₎ ≤ k·q/m, reject the k smallest. The result is in the order of <paramref name="pValues"/>.
    /// </summary>
    public static bool[] Significant(IReadOnlyList<double> pValues, double q = 0.05)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var rejected = new bool[m];
        if (m == 0) return rejected;
        var order = SortedOrder(pValues);
        var cutoff = -1;
        for (var rank = m; rank >= 1; rank--)
        {
            if (pValues[order[rank - 1]] <= rank * q / m) { cutoff = rank; break; }
        }
        for (var i = 0; i < cutoff; i++) rejected[order[i]] = true;
        return rejected;
    }

    /// <summary>BH-adjusted p-values (q-values): min over ranks j ≥ k of p₍j₎·m/j, capped at 1, in input order.</summary>
    public static double[] Adjusted(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var adjusted = new double[m];
        if (m == 0) return adjusted;
        var order = SortedOrder(pValues);
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = order[rank - 1];
            running = Math.Min(running, pValues[i] * m / rank);
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static int[] SortedOrder(IReadOnlyList<double> pValues)
    {
        var order = Enumerable.Range(0, pValues.Count).ToArray();
        Array.Sort(order, (a, b) => pValues[a].CompareTo(pValues[b]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
