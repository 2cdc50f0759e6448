using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels.Reduction;

/// <summary>
/// ArgMax / ArgMin along one axis: the int64 index of the first extreme value of each row, or the
/// last one with <see cref="Last"/>. As in numpy's argmax, a NaN counts as the extreme and -0 equals +0.
/// </summary>
public readonly record struct ArgExtremumKernel(bool Maximum, bool Last, AxisLayout Layout, int[] OutputShape) : INumberKernel
{
    public Tensor Run<T>(Tensor x) where T : unmanaged, INumber<T>
    {
        int n = Layout.Length, inner = Layout.Inner;
        var data = x.Span<T>();
        var result = new long[Layout.Outer * inner];
        if (n == 0 && result.Length > 0)
        {
            throw new InvalidNodeException($"cannot take the {(Maximum ? "ArgMax" : "ArgMin")} of an empty axis");
        }
        for (int o = 0; o < Layout.Outer; o++)
        {
            var block = data.Slice(o * n * inner, n * inner);
            for (int i = 0; i < inner; i++)
            {
                result[o * inner + i] = IndexOf(block, i, n, inner, Maximum, Last);
            }
        }
        return Tensor.Create(ElementType.Int64, result, OutputShape);
    }

    /// <summary>
    /// Where the extreme of the <paramref name="n"/> elements block[offset + k * inner] lies (k);
    /// the first of equal extremes, or the last with <paramref name="last"/>. Shared with Hardmax.
    /// </summary>
    public static int IndexOf<T>(ReadOnlySpan<T> block, int offset, int n, int inner, bool maximum, bool last) where T : INumber<T>
    {
        if (inner == 1 && !last)
        {
            return FirstOfContiguous(block[..n], maximum);
        }
        int best = 0;
        T bestValue = block[offset];
        for (int k = 1; k < n; k++)
        {
            if (T.IsNaN(bestValue) && !last)
            {
                break;
            }
            T value = block[k * inner + offset];
            if (Better(value, bestValue, maximum, last))
            {
                best = k;
                bestValue = value;
            }
        }
        return best;
    }

    /// <summary>The vectorised search, corrected where IEEE maximum differs from numpy: it ranks +0 above -0.</summary>
    private static int FirstOfContiguous<T>(ReadOnlySpan<T> row, bool maximum) where T : INumber<T>
    {
        int index = maximum ? TensorPrimitives.IndexOfMax(row) : TensorPrimitives.IndexOfMin(row);
        if (T.IsZero(row[index]))
        {
            // An equal zero of the other sign may come first.
            for (int k = 0; k < index; k++)
            {
                if (T.IsZero(row[k]))
                {
                    return k;
                }
            }
        }
        return index;
    }

    private static bool Better<T>(T value, T current, bool maximum, bool last) where T : INumber<T>
    {
        if (T.IsNaN(value))
        {
            return !T.IsNaN(current) || last;
        }
        if (T.IsNaN(current))
        {
            return false;
        }
        return maximum
            ? (last ? value >= current : value > current)
            : (last ? value <= current : value < current);
    }
}
