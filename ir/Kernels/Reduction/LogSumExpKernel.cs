using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels.Reduction;

/// <summary>
/// log(sum(exp(x))) over the flagged axes, computed as m + log(sum(exp(x - m))) with m the
/// group's maximum so large inputs do not overflow. A group whose maximum is not finite (all
/// -inf, empty, or holding +inf) is shifted by 0 instead, which gives -inf or +inf rather than NaN.
/// </summary>
public readonly record struct LogSumExpKernel(bool[] Reduced, int[] OutputShape) : IFloatKernel
{
    public Tensor Run<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = x.Span<T>();
        var shift = AxisReduction.Reduce(data, x.Shape, Reduced, Accumulation.Max);
        for (int i = 0; i < shift.Length; i++)
        {
            if (!T.IsFinite(shift[i]))
            {
                shift[i] = T.Zero;
            }
        }
        var shiftShape = AxisReduction.OutputShape(x.Shape, Reduced, keepDims: true);
        var shifted = new T[data.Length];
        Elementwise.Binary<T, T, Difference<T>>(data, x.Shape, shift, shiftShape, shifted, x.Shape);
        TensorPrimitives.Exp(shifted, shifted);
        var sums = AxisReduction.Reduce<T>(shifted, x.Shape, Reduced, Accumulation.Sum);
        TensorPrimitives.Log(sums, sums);
        TensorPrimitives.Add(sums, shift, sums);
        return Tensor.Create(x.ElementType, sums, OutputShape);
    }
}
