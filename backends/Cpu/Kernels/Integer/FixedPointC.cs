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
        c.Line("#if NEURITE_VECTORS");
        c.Line("typedef int32_t neurite_vi8 __attribute__((vector_size(32)));");
        c.Line("typedef uint32_t neurite_vu8 __attribute__((vector_size(32)));");
        c.Line("#endif");
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
        c.Line("   nearest with ties to even, then saturated to int32. |x * mantissa| < 2^62, so adding 2^62 makes");
        c.Line("   the product non-negative without changing its remainder or (for right < 62) the parity of its");
        c.Line("   quotient: no negative value is shifted, and there is no branch, so loops of it vectorise. */");
        c.Block($"static inline int32_t {Scale}(int32_t x, int32_t mantissa, int right)", () =>
        {
            c.Line("const uint64_t biased = (uint64_t)((int64_t)x * mantissa + (INT64_C(1) << 62));");
            c.Line("const uint64_t offset = UINT64_C(1) << (62 - right);");
            c.Line("const uint64_t floor_ = biased >> right;");
            c.Line("const uint64_t remainder = biased & ((UINT64_C(1) << right) - 1u);");
            c.Line("const uint64_t half = UINT64_C(1) << (right - 1);");
            c.Line("const uint64_t up = (uint64_t)(remainder > half) | ((uint64_t)(remainder == half) & (floor_ - offset));");
            c.Line("int64_t rounded = (int64_t)(floor_ + (up & 1u)) - (int64_t)offset;");
            c.Line("rounded = rounded < INT32_MAX ? rounded : INT32_MAX;");
            c.Line("rounded = rounded > INT32_MIN ? rounded : INT32_MIN;");
            c.Line("return (int32_t)rounded;");
        });
        c.Line();
        c.Line("/* y = clamp(zero_point + scaled, lo, hi): the end of every requantisation. */");
        c.Block("static inline int32_t neurite_clamp(int64_t v, int32_t lo, int32_t hi)", () =>
        {
            c.Line("v = v > lo ? v : lo;");
            c.Line("v = v < hi ? v : hi;");
            c.Line("return (int32_t)v;");
        });
    }
}
