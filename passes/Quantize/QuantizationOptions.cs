using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <param name="WeightBits">8, or 4 (int4 values in int8 storage, range [-7, 7]).</param>
/// <param name="ActivationBits">8 or 16 (int16 activations are symmetric).</param>
/// <param name="PerChannel">One weight scale per output channel (else one per tensor).</param>
/// <param name="SymmetricActivations">Activations with zero point 0 (else the calibrated range decides it).</param>
public sealed record QuantizationOptions(
    int WeightBits = 8,
    int ActivationBits = 8,
    bool PerChannel = true,
    bool SymmetricActivations = false)
{
    public void Validate()
    {
        if (WeightBits is not (4 or 8))
        {
            throw new ArgumentException($"weights are quantised to 8 or 4 bits, not {WeightBits}");
        }
        if (ActivationBits is not (8 or 16))
        {
            throw new ArgumentException($"activations are quantised to 8 or 16 bits, not {ActivationBits}");
        }
    }

    /// <summary>The calibration settings that fit these options (the bits entropy and MSE weigh rounding against).</summary>
    public CalibrationOptions Calibration(CalibrationMethod method, double percentile = 99.999) =>
        new(method, percentile, ActivationBits, SymmetricActivations || ActivationBits == 16);
}
