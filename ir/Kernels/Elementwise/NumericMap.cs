using System.Numerics;

namespace Neurite.Ir.Kernels;

/// <summary>
/// A function of one number applied to every element, for ops defined on integers as well as
/// floats (Abs, Neg, Sign, Shrink, ...). A struct, so the JIT specialises the loop for it.
/// </summary>
public interface INumericMap
{
    T Apply<T>(T x) where T : unmanaged, INumber<T>;

    /// <summary>The vectorised path over a whole span (which may be the result span itself); false to fall back to <see cref="Apply"/>.</summary>
    bool TryApply<T>(ReadOnlySpan<T> x, Span<T> result) where T : unmanaged, INumber<T>;
}

/// <summary>Runs an <see cref="INumericMap"/> over every numeric storage kind; float16 and bfloat16 go through float32.</summary>
public static class NumericMap
{
    public static Tensor Run<TOp>(Tensor x, TOp op, string opName) where TOp : struct, INumericMap =>
        HalfPrecision.IsHalf(x.DataType) ? MapHalf(x, op) : NumericTypeSwitch.Visit<Visitor<TOp>, Tensor>(x.DataType, new(x, op), opName);

    private readonly struct Visitor<TOp>(Tensor x, TOp op) : INumericVisitor<Tensor> where TOp : struct, INumericMap
    {
        public Tensor Visit<T>() where T : unmanaged, INumber<T>
        {
            var result = GC.AllocateUninitializedArray<T>(x.Length);
            Apply(x.Span<T>(), result, op);
            return Tensor.Create(x.ElementType, result, x.Shape);
        }
    }

    private static Tensor MapHalf<TOp>(Tensor x, TOp op) where TOp : struct, INumericMap
    {
        var widened = HalfPrecision.Widen(x);
        Apply<float, TOp>(widened, widened, op);
        return HalfPrecision.Narrow(widened, x.ElementType, x.Shape);
    }

    public static void Apply<T, TOp>(ReadOnlySpan<T> x, Span<T> result, TOp op) where T : unmanaged, INumber<T> where TOp : struct, INumericMap
    {
        if (op.TryApply(x, result))
        {
            return;
        }
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = op.Apply(x[i]);
        }
    }

    /// <summary>True for the IEEE float CLR types, where sign, NaN and vectorised float math apply; a JIT-time constant.</summary>
    public static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);
}
