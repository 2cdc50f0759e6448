namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// Real values to and from <c>fixed&lt;W,I&gt;</c> raw integers with the type's rounding and overflow
/// modes, as hls4ml's ap_fixed does them: the raw integer is value · 2^(W-I), rounded, then
/// wrapped or saturated into W bits.
/// </summary>
public static class FixedPointConversion
{
    public static long ToRaw(double value, FixedPointType type)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }
        double scaled = Math.ScaleB(value, type.FractionBits);
        return FitRounded(Round(scaled, type.Rounding), type);
    }

    /// <summary>True when <paramref name="value"/>, rounded with the type's rounding mode, lies in its range: converting it neither wraps nor saturates.</summary>
    public static bool Fits(double value, FixedPointType type)
    {
        if (double.IsNaN(value))
        {
            return true;
        }
        double rounded = Round(Math.ScaleB(value, type.FractionBits), type.Rounding);
        long min = type.Overflow == OverflowMode.SaturateSymmetric && type.Signed ? type.MinRaw + 1 : type.MinRaw;
        return rounded >= min && rounded <= type.MaxRaw;
    }

    public static double ToReal(long raw, FixedPointType type) => Math.ScaleB((double)raw, -type.FractionBits);

    /// <summary>The raw value of <paramref name="raw"/> (in units of 2^-<paramref name="fractionBits"/>) re-expressed in <paramref name="type"/>: what a cast between fixed-point types does in hardware.</summary>
    public static long Convert(long raw, int fractionBits, FixedPointType type)
    {
        int drop = fractionBits - type.FractionBits;
        if (drop <= 0)
        {
            // More fraction bits: exact, but the shifted value may need wrapping (keep its low bits) or saturating.
            int shift = -drop;
            long shifted = shift >= 64 ? 0 : type.Overflow == OverflowMode.Wrap ? raw << shift : SaturatingShiftLeft(raw, shift);
            return Fit(shifted, type);
        }
        return Fit(ShiftRight(raw, drop, type.Rounding), type);
    }

    private static double Round(double scaled, RoundingMode mode) => mode switch
    {
        RoundingMode.Truncate => Math.Floor(scaled),
        RoundingMode.HalfUp => Math.Floor(scaled + 0.5),
        RoundingMode.HalfEven => Math.Round(scaled, MidpointRounding.ToEven),
        RoundingMode.TowardZero => Math.Truncate(scaled),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>raw / 2^drop with the rounding mode, in integers only.</summary>
    private static long ShiftRight(long raw, int drop, RoundingMode mode)
    {
        if (drop >= 63)
        {
            return mode == RoundingMode.Truncate && raw < 0 ? -1 : 0;
        }
        long floor = raw >> drop;
        long remainder = raw - (floor << drop);        // in [0, 2^drop)
        long half = 1L << (drop - 1);
        return mode switch
        {
            RoundingMode.Truncate => floor,
            RoundingMode.HalfUp => floor + (remainder >= half ? 1 : 0),
            RoundingMode.HalfEven => floor + (remainder > half || (remainder == half && (floor & 1) != 0) ? 1 : 0),
            RoundingMode.TowardZero => floor + (raw < 0 && remainder != 0 ? 1 : 0),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
    }

    /// <summary>Wraps or saturates an already rounded real into the type's W bits.</summary>
    private static long FitRounded(double rounded, FixedPointType type)
    {
        if (type.Overflow == OverflowMode.Wrap)
        {
            // Wrapping needs the exact integer; values beyond ±2^63 wrap as their low 64 bits would, which no real model reaches.
            return Fit((long)Math.Clamp(rounded, long.MinValue, long.MaxValue), type);
        }
        long min = type.Overflow == OverflowMode.SaturateSymmetric && type.Signed ? type.MinRaw + 1 : type.MinRaw;
        return (long)Math.Clamp(rounded, min, type.MaxRaw);
    }

    /// <summary>Wraps or saturates an integer into the type's W bits.</summary>
    private static long Fit(long value, FixedPointType type)
    {
        if (type.Overflow != OverflowMode.Wrap)
        {
            long min = type.Overflow == OverflowMode.SaturateSymmetric && type.Signed ? type.MinRaw + 1 : type.MinRaw;
            return Math.Clamp(value, min, type.MaxRaw);
        }
        if (type.Width == 64)
        {
            return value;
        }
        long low = value & (long)((1UL << type.Width) - 1);
        return type.Signed && low > type.MaxRaw ? low - (1L << type.Width) : low;
    }

    private static long SaturatingShiftLeft(long raw, int shift)
    {
        long shifted = raw << shift;
        return shifted >> shift == raw ? shifted : raw < 0 ? long.MinValue : long.MaxValue;
    }
}
