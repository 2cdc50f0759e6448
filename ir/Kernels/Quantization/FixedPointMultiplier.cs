namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// A positive real multiplier as an integer the hardware can apply: <c>m = M · 2^(shift - 31)</c>
/// with M a Q0.31 integer in [2^30, 2^31). Applying it to an int32 accumulator needs only a
/// 32×32→64-bit product and shifts, so integer-only targets (microcontrollers, FPGAs, the emitted
/// C) and the interpreter compute bit-identical results. This is the gemmlowp/TFLite scheme, to
/// the bit: the high product rounds ties up (toward +∞), the right shift rounds them away from zero.
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

    /// <summary>round(x · m) as integer hardware computes it.</summary>
    public int Apply(int x)
    {
        int left = Math.Max(Shift, 0), right = Math.Max(-Shift, 0);
        return RoundingShiftRight(RoundingDoublingHighProduct(SaturatingShiftLeft(x, left), Mantissa), right);
    }

    /// <summary>a · b / 2^31 rounded to nearest, ties up; saturates the one case that overflows (both int.MinValue).</summary>
    public static int RoundingDoublingHighProduct(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
        {
            return int.MaxValue;
        }
        long product = (long)a * b;
        long nudge = product >= 0 ? 1L << 30 : 1 - (1L << 30);
        // Division truncates toward zero; the nudge (+1/2, or just under -1/2 for negatives) makes it round to nearest, ties up.
        return (int)((product + nudge) / (1L << 31));
    }

    /// <summary>x / 2^exponent rounded to nearest, ties away from zero.</summary>
    public static int RoundingShiftRight(int x, int exponent)
    {
        if (exponent == 0)
        {
            return x;
        }
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    private static int SaturatingShiftLeft(int x, int shift)
    {
        long shifted = (long)x << shift;
        return (int)Math.Clamp(shifted, int.MinValue, int.MaxValue);
    }
}
