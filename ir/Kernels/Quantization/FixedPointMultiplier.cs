namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// A positive real multiplier as an integer the hardware can apply: <c>m = M · 2^(shift - 31)</c>
/// with M a Q0.31 integer in [2^30, 2^31). Applying it to an int32 accumulator needs only a
/// 32×32→64-bit product and shifts, so integer-only targets (microcontrollers, FPGAs, the emitted
/// C) and the interpreter compute bit-identical results (TFLite's multiplier representation, with
/// its single-rounding variant: see <see cref="Apply"/>).
/// </summary>
public readonly record struct FixedPointMultiplier(int Mantissa, int Shift)
{
    /// <summary>The nearest representable multiplier to <paramref name="real"/> (which must be positive and below 2^31).</summary>
    public static FixedPointMultiplier FromReal(double real)
    {
        if (!(real > 0) || real >= 2147483648.0)
        {
            throw new ArgumentOutOfRangeException(nameof(real), real, "a requantisation multiplier must be positive and below 2^31");
        }
        int exponent = Math.ILogB(real) + 1;              // real = fraction · 2^exponent, fraction in [0.5, 1)
        double fraction = Math.ScaleB(real, -exponent);
        long mantissa = (long)Math.Round(fraction * (1L << 31), MidpointRounding.AwayFromZero);
        if (mantissa == 1L << 31)
        {
            // The fraction rounded up to 1: renormalise.
            mantissa /= 2;
            exponent++;
        }
        if (exponent < -31)
        {
            // Too small to matter: every int32 accumulator maps to 0 (or ±1 at most) anyway.
            return new FixedPointMultiplier(0, 0);
        }
        return new FixedPointMultiplier((int)mantissa, exponent);
    }

    /// <summary>The real value this multiplier applies.</summary>
    public double Real => Math.ScaleB(Mantissa, Shift - 31);

    /// <summary>
    /// x · m rounded once to nearest, ties to even: the exact 64-bit product x · M shifted right by
    /// 31 - Shift. One rounding, and the same tie rule as ONNX Runtime's float requantisation, so a
    /// QDQ export of the integer graph computes the same integers (gemmlowp's two roundings, ties
    /// away from zero, would differ on every exact half, which average pooling makes common).
    /// </summary>
    public int Apply(int x)
    {
        long product = (long)x * Mantissa;
        long rounded = RoundingShiftRight(product, 31 - Shift);
        return (int)Math.Clamp(rounded, int.MinValue, int.MaxValue);
    }

    /// <summary>value / 2^shift rounded to nearest, ties to even (shift 0 to 63).</summary>
    public static long RoundingShiftRight(long value, int shift)
    {
        if (shift == 0)
        {
            return value;
        }
        if (shift >= 63)
        {
            return 0;
        }
        long floor = value >> shift;
        long remainder = value - (floor << shift);     // in [0, 2^shift)
        long half = 1L << (shift - 1);
        return remainder > half || (remainder == half && (floor & 1) != 0) ? floor + 1 : floor;
    }
}
