using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels.Reduction;

/// <summary>Which normalisation along the axis.</summary>
public enum SoftmaxMode
{
    /// <summary>exp(x - max) / sum(exp(x - max)).</summary>
    Softmax,
    /// <summary>(x - max) - log(sum(exp(x - max))).</summary>
    LogSoftmax,
    /// <summary>1 at the first maximum of each row, 0 elsewhere.</summary>
    Hardmax,
}

/// <summary>
/// Softmax, log-softmax and hardmax along one axis, numerically stable (the row maximum is
/// subtracted before exponentiating). Contiguous rows (inner = 1, the common last-axis case) are
/// a few TensorPrimitives calls each; a strided axis is handled a whole inner block at a time,
/// so every call is still a vector over the inner dimension.
/// </summary>
public readonly record struct SoftmaxKernel(SoftmaxMode Mode, AxisLayout Layout) : IFloatKernel
{
    public Tensor Run<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = x.Span<T>();
        var output = new T[input.Length];
        if (Mode == SoftmaxMode.Hardmax)
        {
            Hardmax(input, output, Layout);
        }
        else if (Layout.Length > 0)
        {
            Normalise(input, output, Layout, Mode == SoftmaxMode.LogSoftmax);
        }
        return Tensor.Create(x.ElementType, output, x.Shape);
    }

    /// <summary>Softmax or log-softmax of <paramref name="input"/> into <paramref name="output"/> (same layout).</summary>
    public static void Normalise<T>(ReadOnlySpan<T> input, Span<T> output, AxisLayout layout, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layout.Length, inner = layout.Inner;
        if (n == 0)
        {
            return;
        }
        int scratchLength = inner == 1 ? (log ? n : 0) : 2 * inner + (log ? inner : 0);
        var scratch = ArrayPool<T>.Shared.Rent(Math.Max(scratchLength, 1));
        try
        {
            for (int o = 0; o < layout.Outer; o++)
            {
                var source = input.Slice(o * n * inner, n * inner);
                var target = output.Slice(o * n * inner, n * inner);
                if (inner == 1)
                {
                    Row(source, target, log, scratch.AsSpan(0, log ? n : 0));
                }
                else
                {
                    Block(source, target, n, inner, log, scratch.AsSpan(0, scratchLength));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void Row<T>(ReadOnlySpan<T> x, Span<T> y, bool log, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        if (!log)
        {
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
            return;
        }
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, scratch);
        TensorPrimitives.Subtract(y, T.Log(TensorPrimitives.Sum<T>(scratch)), y);
    }

    /// <summary>One outer slice of a strided axis: n rows of <paramref name="inner"/> elements, normalised column-wise.</summary>
    private static void Block<T>(ReadOnlySpan<T> x, Span<T> y, int n, int inner, bool log, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = scratch[..inner];
        var sum = scratch.Slice(inner, inner);
        x[..inner].CopyTo(max);
        for (int k = 1; k < n; k++)
        {
            TensorPrimitives.Max(max, x.Slice(k * inner, inner), max);
        }
        sum.Clear();
        var exp = log ? scratch.Slice(2 * inner, inner) : default;
        for (int k = 0; k < n; k++)
        {
            var row = y.Slice(k * inner, inner);
            TensorPrimitives.Subtract(x.Slice(k * inner, inner), max, row);
            if (log)
            {
                TensorPrimitives.Exp(row, exp);
                TensorPrimitives.Add(sum, exp, sum);
            }
            else
            {
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Add(sum, row, sum);
            }
        }
        if (log)
        {
            TensorPrimitives.Log(sum, sum);
        }
        for (int k = 0; k < n; k++)
        {
            var row = y.Slice(k * inner, inner);
            if (log)
            {
                TensorPrimitives.Subtract(row, sum, row);
            }
            else
            {
                TensorPrimitives.Divide(row, sum, row);
            }
        }
    }

    /// <summary>A one at the first maximum of each row, found as ArgMax finds it (a NaN counts as the maximum).</summary>
    private static void Hardmax<T>(ReadOnlySpan<T> x, Span<T> y, AxisLayout layout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layout.Length, inner = layout.Inner;
        if (n == 0)
        {
            return;
        }
        for (int o = 0; o < layout.Outer; o++)
        {
            int start = o * n * inner;
            var block = x.Slice(start, n * inner);
            for (int i = 0; i < inner; i++)
            {
                int best = ArgExtremumKernel.IndexOf(block, i, n, inner, maximum: true, last: false);
                y[start + best * inner + i] = T.One;
            }
        }
    }
}
