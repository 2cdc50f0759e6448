using Neurite.Ir;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// The integer bits an auto precision gets for a tensor whose values lie in [min, max]: the
/// smallest I with max|x| · margin &lt; 2^(I-1) (2^I unsigned), so every bit left goes to the
/// fraction; raised further while the extremes, rounded by the type's rounding mode, would still
/// overflow (a value just below 2^(I-1) rounds up to it under rnd).
/// </summary>
public static class AutoIntegerBits
{
    public static FixedPointType Choose(FixedPointPrecision precision, double min, double max, double margin, string what)
    {
        if (!precision.IsAuto)
        {
            return precision.Type();
        }
        double magnitude = Math.Max(Math.Abs(min), Math.Abs(max)) * margin;
        if (!double.IsFinite(magnitude))
        {
            throw new NeuriteException("fixed.range", $"{what} has no finite range ({min} to {max}); its integer bits cannot be chosen");
        }
        int signBit = precision.Signed ? 1 : 0;
        // 2^(I - sign) > magnitude: start just below the answer and step up.
        int integerBits = magnitude > 0 ? (int)Math.Floor(Math.Log2(magnitude)) + signBit - 1 : signBit;
        while (Math.ScaleB(1.0, integerBits - signBit) <= magnitude
            || !FixedPointConversion.Fits(max, Type(precision, integerBits, what))
            || !FixedPointConversion.Fits(precision.Signed ? min : Math.Max(min, 0), Type(precision, integerBits, what)))
        {
            integerBits++;
        }
        return Type(precision, integerBits, what);
    }

    private static FixedPointType Type(FixedPointPrecision precision, int integerBits, string what)
    {
        if (Math.Abs(precision.Width - integerBits) > FixedPointPrecision.MaxFractionBits)
        {
            throw new NeuriteException("fixed.range", $"{what} needs {integerBits} integer bits, which a {precision.Width}-bit type cannot have (at most {precision.Width + FixedPointPrecision.MaxFractionBits})");
        }
        return precision.Type(integerBits);
    }
}
