namespace Neurite.Passes.Quantize.Calibration;

/// <summary>How a tensor's quantisation range is chosen from what calibration saw.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing clips, outliers stretch the grid.</summary>
    MinMax,

    /// <summary>Clip at a percentile of the values (of their magnitudes when symmetric): outliers clip.</summary>
    Percentile,

    /// <summary>The clipping threshold whose quantised distribution is closest in KL divergence to the original (TensorRT's entropy calibration).</summary>
    Entropy,

    /// <summary>The clipping threshold with the least expected squared quantisation error (clipping plus rounding).</summary>
    Mse,
}

/// <param name="Percentile">For <see cref="CalibrationMethod.Percentile"/>: the share of values (in percent) the range keeps.</param>
/// <param name="Bits">The integer width the range is chosen for (entropy and MSE weigh rounding against clipping at it).</param>
/// <param name="Symmetric">A range symmetric about zero (signed, zero point 0) or the data's own [min, max].</param>
public sealed record CalibrationOptions(
    CalibrationMethod Method = CalibrationMethod.MinMax,
    double Percentile = 99.999,
    int Bits = 8,
    bool Symmetric = false)
{
    public void Validate()
    {
        if (Percentile is <= 50 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, "the percentile must be above 50 and at most 100");
        }
        if (Bits is < 2 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "calibration is for 2- to 16-bit integers");
        }
    }
}

/// <summary>A calibrated range; <see cref="Min"/> ≤ 0 ≤ <see cref="Max"/> so that zero is exactly representable.</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    public float MaxMagnitude => Math.Max(-Min, Max);
}
