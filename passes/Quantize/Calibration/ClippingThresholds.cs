namespace Neurite.Passes.Quantize.Calibration;

/// <summary>
/// Clipping thresholds chosen from a histogram of magnitudes (bin b covers [b·w, (b+1)·w)):
/// clipping more loses the outliers, clipping less makes every rounding step coarser.
/// </summary>
public static class ClippingThresholds
{
    /// <summary>
    /// TensorRT's entropy calibration: for each candidate threshold, fold the clipped tail into the
    /// last bin (P), merge the kept bins into as many levels as the integer has on one side and
    /// spread each level evenly over its non-empty bins (Q); keep the threshold with the least
    /// KL(P‖Q).
    /// </summary>
    public static double KlDivergence(long[] magnitudes, double binWidth, int bits, bool signed)
    {
        int levels = signed ? 1 << (bits - 1) : 1 << bits;
        int last = LastNonEmpty(magnitudes);
        if (last < levels)
        {
            // Fewer occupied bins than levels: nothing to gain from clipping.
            return (last + 1) * binWidth;
        }
        double bestDivergence = double.PositiveInfinity;
        int bestEnd = last + 1;
        var p = new double[last + 1];
        var q = new double[last + 1];
        for (int end = levels; end <= last + 1; end++)
        {
            double outliers = 0;
            for (int b = end; b <= last; b++)
            {
                outliers += magnitudes[b];
            }
            for (int b = 0; b < end; b++)
            {
                p[b] = magnitudes[b];
            }
            p[end - 1] += outliers;
            SpreadOverLevels(magnitudes, end, levels, q);
            double divergence = Divergence(p, q, end);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                bestEnd = end;
            }
        }
        return bestEnd * binWidth;
    }

    /// <summary>
    /// The threshold T with the least expected squared error: values beyond T cost (|x| - T)²,
    /// values within cost the rounding noise Δ²/12 of a grid of step Δ = T / levels.
    /// </summary>
    public static double LeastSquaredError(long[] magnitudes, double binWidth, int bits, bool signed)
    {
        double levels = signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        int last = LastNonEmpty(magnitudes);
        double bestError = double.PositiveInfinity, best = (last + 1) * binWidth;
        for (int end = 1; end <= last + 1; end++)
        {
            double threshold = end * binWidth;
            double step = threshold / levels;
            double error = 0;
            for (int b = 0; b <= last; b++)
            {
                double centre = (b + 0.5) * binWidth;
                double clipped = Math.Max(0, centre - threshold);
                error += magnitudes[b] * (clipped * clipped + step * step / 12);
            }
            if (error < bestError)
            {
                bestError = error;
                best = threshold;
            }
        }
        return best;
    }

    private static void SpreadOverLevels(long[] magnitudes, int end, int levels, double[] q)
    {
        for (int level = 0; level < levels; level++)
        {
            int start = (int)((long)level * end / levels), stop = (int)((long)(level + 1) * end / levels);
            double mass = 0;
            int occupied = 0;
            for (int b = start; b < stop; b++)
            {
                mass += magnitudes[b];
                occupied += magnitudes[b] > 0 ? 1 : 0;
            }
            for (int b = start; b < stop; b++)
            {
                q[b] = magnitudes[b] > 0 ? mass / occupied : 0;
            }
        }
    }

    /// <summary>KL(P‖Q) of the normalised distributions over the first <paramref name="length"/> bins.</summary>
    private static double Divergence(double[] p, double[] q, int length)
    {
        double pTotal = 0, qTotal = 0;
        for (int b = 0; b < length; b++)
        {
            pTotal += p[b];
            qTotal += q[b];
        }
        double divergence = 0;
        for (int b = 0; b < length; b++)
        {
            if (p[b] == 0)
            {
                continue;
            }
            double pb = p[b] / pTotal;
            // A bin P has but Q lost (its level's mass went to the clipped tail) costs as a tiny Q would.
            double qb = q[b] > 0 ? q[b] / qTotal : 1e-12;
            divergence += pb * Math.Log(pb / qb);
        }
        return divergence;
    }

    private static int LastNonEmpty(long[] magnitudes)
    {
        for (int b = magnitudes.Length - 1; b >= 0; b--)
        {
            if (magnitudes[b] > 0)
            {
                return b;
            }
        }
        return 0;
    }
}
