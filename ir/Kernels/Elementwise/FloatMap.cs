using System.Numerics;

namespace Neurite.Ir.Kernels;

/// <summary>
/// A float function applied to every element. A struct, so the JIT specialises the loop for it;
/// its fields carry the op's attributes (alpha, beta, ...).
/// </summary>
public interface IFloatMap
{
    T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The vectorised path over a whole span (which may be the result span itself); false to fall back to <see cref="Apply"/>.</summary>
    bool TryApply<T>(ReadOnlySpan<T> x, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Runs an <see cref="IFloatMap"/> over float32 and float64 tensors natively, float16 and bfloat16 through float32.</summary>
public static class FloatMap
{
    public static Tensor Run<TOp>(Tensor x, TOp op, string opName) where TOp : struct, IFloatMap
    {
        switch (x.DataType)
        {
            case DataType.Float32:
                var floats = GC.AllocateUninitializedArray<float>(x.Length);
                Apply(x.Span<float>(), floats, op);
                return Tensor.Create(x.ElementType, floats, x.Shape);
            case DataType.Float64:
                var doubles = GC.AllocateUninitializedArray<double>(x.Length);
                Apply(x.Span<double>(), doubles, op);
                return Tensor.Create(x.ElementType, doubles, x.Shape);
            case DataType.Float16 or DataType.BFloat16:
                var widened = HalfPrecision.Widen(x);
                Apply<float, TOp>(widened, widened, op);
                return HalfPrecision.Narrow(widened, x.ElementType, x.Shape);
            default:
                throw new InvalidNodeException($"{opName} takes a float tensor (float16, bfloat16, float32 or float64), got {x.ElementType}");
        }
    }

    public static void Apply<T, TOp>(ReadOnlySpan<T> x, Span<T> result, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IFloatMap
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
}
