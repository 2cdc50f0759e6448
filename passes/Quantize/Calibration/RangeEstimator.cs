namespace Neurite.Passes.Quantize.Calibration;

/// <summary>Turns a tensor's statistics into the range its quantisation grid should cover.</summary>
public static class RangeEstimator
{
    public static TensorRange Estimate(TensorStatistics statistics, CalibrationOptions options)
    {
        if (statistics.Count == 0 || float.IsNaN(statistics.Min))
        {
            return new TensorRange(0, 0);
        }
        // Zero must be on the grid (padding, ReLU): every range includes it.
        float min = Math.Min(statistics.Min, 0), max = Math.Max(statistics.Max, 0);
        if (options.Method == CalibrationMethod.MinMax)
        {
            return options.Symmetric ? Symmetric(Math.Max(-min, max)) : new TensorRange(min, max);
        }
        if (options.Method == CalibrationMethod.Percentile && !options.Symmetric)
        {
            var h = statistics.Histogram;
            double share = options.Percentile / 100;
            return new TensorRange(
                (float)Math.Max(min, Math.Min(0, Quantile(h.Bins, h.Count, 1 - share, -h.Radius, h.BinWidth))),
                (float)Math.Min(max, Math.Max(0, Quantile(h.Bins, h.Count, share, -h.Radius, h.BinWidth))));
        }
        double threshold = options.Method switch
        {
            CalibrationMethod.Percentile => MagnitudeQuantile(statistics, options.Percentile / 100),
            CalibrationMethod.Entropy => ClippingThresholds.KlDivergence(statistics.Histogram.Magnitudes(withoutExactZeros: true), statistics.Histogram.BinWidth, options.Bits, options.Symmetric || min < 0),
            CalibrationMethod.Mse => ClippingThresholds.LeastSquaredError(statistics.Histogram.Magnitudes(withoutExactZeros: true), statistics.Histogram.BinWidth, options.Bits, options.Symmetric || min < 0),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Method, "unknown calibration method"),
        };
        var t = (float)threshold;
        return options.Symmetric ? Symmetric(Math.Min(t, Math.Max(-min, max))) : new TensorRange(Math.Max(min, -t), Math.Min(max, t));
    }

    private static TensorRange Symmetric(float magnitude) => new(-magnitude, magnitude);

    private static double MagnitudeQuantile(TensorStatistics statistics, double share)
    {
        var h = statistics.Histogram;
        return Quantile(h.Magnitudes(), h.Count, share, 0, h.BinWidth);
    }

    /// <summary>The value below which <paramref name="share"/> of the counts lie, interpolated inside its bin.</summary>
    public static double Quantile(ReadOnlySpan<long> bins, long total, double share, double origin, double binWidth)
    {
        double target = share * total;
        double cumulative = 0;
        for (int b = 0; b < bins.Length; b++)
        {
            if (bins[b] > 0 && cumulative + bins[b] >= target)
            {
                double within = (target - cumulative) / bins[b];
                return origin + (b + within) * binWidth;
            }
            cumulative += bins[b];
        }
        return origin + bins.Length * binWidth;
    }
}
