namespace Neurite.Backends.Cpu;

/// <summary>
/// The C helpers every integer kernel uses, written once into <c>model.c</c> when the model has
/// integer tensors. They transcribe the interpreter's integer arithmetic
/// (<c>Neurite.Ir.Kernels.Quantization.FixedPointMultiplier.Apply</c> and C#'s wrapping int32
/// arithmetic) in portable C99: no right shift of a negative value (implementation-defined), no
/// left shift of one and no signed overflow (undefined), so every compiler computes the
/// interpreter's bits.
/// </summary>
public static class FixedPointC
{
    /// <summary>The C name of <c>x · mantissa / 2^right</c> rounded once, ties to even, saturated to int32.</summary>
    public const string Scale = "neurite_scale";

    /// <summary>The C name of the wrap of an int64 to int32 (its low 32 bits, two's complement), as C#'s unchecked conversion.</summary>
    public const string Wrap = "neurite_wrap32";

    public static void Write(CSource c)
    {
        c.Line("/* Integer kernels: the reference interpreter's fixed-point arithmetic, bit for bit. */");
        c.Line("#include <stdint.h>");
        c.Line();
        c.Line("/* The low 32 bits of v as a two's-complement int32 (C#'s unchecked (int)v), without");
        c.Line("   the implementation-defined conversion of an out-of-range value. */");
        c.Block($"static inline int32_t {Wrap}(int64_t v)", () =>
        {
            c.Line("const uint32_t u = (uint32_t)(uint64_t)v;");
            c.Line("return u <= 0x7fffffffu ? (int32_t)u : (int32_t)(u - 0x80000000u) - 0x7fffffff - 1;");
        });
        c.Line();
        c.Line("/* FixedPointMultiplier.Apply: x * mantissa * 2^-right (right = 31 - shift, 1..62) rounded to");
        c.Line("   nearest with ties to even, then saturated to int32. The floor of a negative product is");
        c.Line("   taken on its complement, so no negative value is ever shifted. */");
        c.Block($"static inline int32_t {Scale}(int32_t x, int32_t mantissa, int right)", () =>
        {
            c.Line("const int64_t product = (int64_t)x * mantissa;");
            c.Line("const uint64_t bits = (uint64_t)product;");
            c.Line("const int64_t floor_ = product >= 0 ? (int64_t)(bits >> right) : ~(int64_t)(~bits >> right);");
            c.Line("const uint64_t remainder = bits & ((UINT64_C(1) << right) - 1u);");
            c.Line("const uint64_t half = UINT64_C(1) << (right - 1);");
            c.Line("const int64_t rounded = floor_ + ((remainder > half || (remainder == half && ((uint64_t)floor_ & 1u) != 0)) ? 1 : 0);");
            c.Line("return rounded > INT32_MAX ? INT32_MAX : rounded < INT32_MIN ? INT32_MIN : (int32_t)rounded;");
        });
        c.Line();
        c.Line("/* y = clamp(zero_point + scaled, lo, hi): the end of every requantisation. */");
        c.Block("static inline int32_t neurite_clamp(int64_t v, int32_t lo, int32_t hi)", () =>
            c.Line("return v < lo ? lo : v > hi ? hi : (int32_t)v;"));
    }
}
