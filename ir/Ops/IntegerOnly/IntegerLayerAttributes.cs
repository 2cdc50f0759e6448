using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// What the integer-only layers (<see cref="QConv"/>, <see cref="QGemm"/>) share: the input zero
/// point, the per-channel requantisation multipliers as mantissa and shift, the output zero
/// point, the clamp, and the output's integer type. Every number is an integer, so a target
/// reads exactly what it must compute.
/// </summary>
internal static class IntegerLayerAttributes
{
    public static OpSignature.Builder Add(OpSignature.Builder builder) => builder
        .Attr("x_zero_point", 0L)
        .Attr("y_zero_point", 0L)
        .Attr("multipliers", AttributeKind.Ints, required: true)
        .Attr("shifts", AttributeKind.Ints, required: true)
        .Attr("output_bits", 8L)
        .Attr("output_signed", 1L)
        .Attr("output_min", AttributeKind.Int)
        .Attr("output_max", AttributeKind.Int);

    /// <summary>The plain integer type the output is stored in (a declared quantised type refines it).</summary>
    public static ScalarType OutputStorage(OpContext context)
    {
        long bits = context.Int("output_bits");
        bool signed = context.Int("output_signed") != 0;
        return (bits, signed) switch
        {
            ( <= 8 and >= 2, true) => ElementType.Int8,
            ( <= 8 and >= 2, false) => ElementType.UInt8,
            ( <= 16 and > 8, true) => ElementType.Int16,
            ( <= 16 and > 8, false) => ElementType.UInt16,
            ( <= 32 and > 16, true) => ElementType.Int32,
            _ => throw new InvalidNodeException($"output_bits must be 2 to 16 (or a signed 32), got {bits} {(signed ? "signed" : "unsigned")}"),
        };
    }

    public static FixedPointMultiplier[] Multipliers(OpContext context, int channels)
    {
        var mantissas = context.Ints("multipliers")!;
        var shifts = context.Ints("shifts")!;
        if (mantissas.Length != shifts.Length || (mantissas.Length != 1 && mantissas.Length != channels))
        {
            throw new InvalidNodeException(
                $"expected one multiplier and shift, or one per output channel ({channels}); got {mantissas.Length} multipliers and {shifts.Length} shifts");
        }
        return mantissas.Zip(shifts, (m, s) => m is < 0 or > int.MaxValue || s is < -31 or > 30
            ? throw new InvalidNodeException($"multiplier {m} with shift {s} is not a Q0.31 mantissa with a shift in [-31, 30]")
            : new FixedPointMultiplier((int)m, (int)s)).ToArray();
    }

    /// <summary>The clamp: the output type's range, narrowed by output_min/output_max (a fused ReLU sets output_min to the zero point).</summary>
    public static (int ZeroPoint, int Min, int Max) Range(OpContext context)
    {
        long bits = context.Int("output_bits");
        bool signed = context.Int("output_signed") != 0;
        long typeMin = signed ? -(1L << (int)(bits - 1)) : 0, typeMax = signed ? (1L << (int)(bits - 1)) - 1 : (1L << (int)bits) - 1;
        long zero = context.Int("y_zero_point");
        long min = context.Int("output_min", typeMin), max = context.Int("output_max", typeMax);
        if (zero < typeMin || zero > typeMax || min < typeMin || max > typeMax || min > max)
        {
            throw new InvalidNodeException(
                $"y_zero_point {zero} and the clamp [{min}, {max}] must lie in the {bits}-bit {(signed ? "signed" : "unsigned")} range [{typeMin}, {typeMax}]");
        }
        return ((int)zero, (int)min, (int)max);
    }

    public static int[]? Bias(Tensor? bias, int channels)
    {
        if (bias is null)
        {
            return null;
        }
        if (bias.DataType != DataType.Int32 || bias.Length != channels)
        {
            throw new InvalidNodeException($"the bias must be int32 with one value per output channel ({channels}), got {bias.ElementType}[{bias.Length}]");
        }
        return bias.Span<int>().ToArray();
    }
}
