using Neurite.Passes.Quantize.Calibration;
using Neurite.Ir;

namespace Neurite.Passes.Quantize;

/// <summary>How one activation tensor is quantised: real = scale · (q - zero point), q in [min, max].</summary>
public sealed record ActivationScheme(float Scale, int ZeroPoint, int Bits, bool Signed)
{
    public int Min => Signed ? -(1 << (Bits - 1)) : 0;
    public int Max => Signed ? (1 << (Bits - 1)) - 1 : (1 << Bits) - 1;

    public QuantizedType Type => new(Bits, Signed, Scale, ZeroPoint);

    /// <summary>
    /// The scheme for a calibrated range: signed integers either way; symmetric puts zero at 0 and
    /// spends the grid on the larger magnitude, asymmetric maps [min, max] onto the whole grid with
    /// zero exactly representable (it must be: padding and ReLU produce exact zeros).
    /// </summary>
    public static ActivationScheme For(TensorRange range, int bits, bool symmetric)
    {
        int qmin = -(1 << (bits - 1)), qmax = (1 << (bits - 1)) - 1;
        float min = Math.Min(range.Min, 0), max = Math.Max(range.Max, 0);
        if (symmetric)
        {
            float magnitude = Math.Max(-min, max);
            return new ActivationScheme(magnitude > 0 ? magnitude / qmax : 1f, 0, bits, Signed: true);
        }
        float scale = max > min ? (max - min) / (qmax - qmin) : 1f;
        int zero = (int)Math.Clamp(Math.Round(qmin - min / scale, MidpointRounding.ToEven), qmin, qmax);
        return new ActivationScheme(scale, zero, bits, Signed: true);
    }
}
