using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Nn;
using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>
/// The matrix products of attention: one head's scores scale · Q · Kᵀ and its output P · V.
/// float32 runs on the project's SGEMM, with keys and values packed once per key/value head and
/// reused by every query head of its group (grouped-query attention), so packing costs nothing
/// per query head. float64 stays in float64, with vectorised dot products and row updates.
/// </summary>
internal static class ScaledDotProduct
{
    /// <summary>Kᵀ of one head, as the right-hand side of Q · Kᵀ.</summary>
    public static HeadOperand<T> Keys<T>(AttentionHeads<T> keys, int b, int h) where T : unmanaged, IFloatingPointIeee754<T> =>
        HeadOperand<T>.Of(keys, b, h, transposed: true);

    /// <summary>V of one head, as the right-hand side of P · V.</summary>
    public static HeadOperand<T> Values<T>(AttentionHeads<T> values, int b, int h) where T : unmanaged, IFloatingPointIeee754<T> =>
        HeadOperand<T>.Of(values, b, h, transposed: false);

    /// <summary>scores (rows × keys) = scale · query (rows × size) · keysᵀ.</summary>
    public static void Scores<T>(ReadOnlySpan<T> query, int rows, int size, HeadOperand<T> keys, T scale, Span<T> scores)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (keys.Packed is PackedMatrix packed)
        {
            Sgemm.Multiply(MemoryMarshal.Cast<T, float>(query), size, packed, MemoryMarshal.Cast<T, float>(scores), packed.N, rows);
        }
        else
        {
            var k = keys.Rows.Span;
            for (int i = 0; i < rows; i++)
            {
                var q = query.Slice(i * size, size);
                for (int j = 0; j < keys.Count; j++)
                {
                    scores[i * keys.Count + j] = TensorPrimitives.Dot(q, k.Slice(j * size, size));
                }
            }
        }
        TensorPrimitives.Multiply(scores, scale, scores);
    }

    /// <summary>Each row of <paramref name="scores"/> replaced by its softmax (a row of only -inf becomes NaN, as in the reference).</summary>
    public static void Softmax<T>(Span<T> scores, int rows, int columns) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxKernel.Normalise<T>(scores, scores, new AxisLayout(rows, columns, 1), log: false);

    /// <summary>output (rows × value size) = probabilities (rows × keys) · values.</summary>
    public static void Weighted<T>(ReadOnlySpan<T> probabilities, int rows, HeadOperand<T> values, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Packed is PackedMatrix packed)
        {
            Sgemm.Multiply(MemoryMarshal.Cast<T, float>(probabilities), packed.K, packed, MemoryMarshal.Cast<T, float>(output), packed.N, rows);
            return;
        }
        MatrixProduct.Multiply(probabilities, values.Count, values.Rows.Span, values.Size, output, values.Size, rows, values.Count, values.Size);
    }

    /// <summary>How many query heads share each key/value head; throws unless it divides evenly.</summary>
    public static int GroupSize(int queryHeads, int keyValueHeads)
    {
        if (keyValueHeads <= 0 || queryHeads % keyValueHeads != 0)
        {
            throw new InvalidNodeException($"{queryHeads} query heads cannot be grouped over {keyValueHeads} key/value heads");
        }
        return queryHeads / keyValueHeads;
    }
}

/// <summary>
/// One head's keys or values (<see cref="Count"/> rows of <see cref="Size"/>) as the right-hand
/// side of a product: packed for the float32 SGEMM, or left as they are for other types.
/// </summary>
internal sealed class HeadOperand<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private HeadOperand(PackedMatrix? packed, ReadOnlyMemory<T> rows, int count, int size)
    {
        Packed = packed;
        Rows = rows;
        Count = count;
        Size = size;
    }

    public PackedMatrix? Packed { get; }
    public ReadOnlyMemory<T> Rows { get; }
    public int Count { get; }
    public int Size { get; }

    /// <param name="transposed">Keys: the product takes the head transposed (Q · Kᵀ).</param>
    public static HeadOperand<T> Of(AttentionHeads<T> heads, int b, int h, bool transposed)
    {
        var rows = heads.Data.AsMemory((b * heads.Heads + h) * heads.HeadLength, heads.HeadLength);
        if (typeof(T) != typeof(float))
        {
            return new HeadOperand<T>(null, rows, heads.Sequence, heads.Size);
        }
        var values = MemoryMarshal.Cast<T, float>(rows.Span);
        var packed = transposed
            ? PackedMatrix.Pack(values, heads.Size, heads.Sequence, heads.Size, transposed: true)
            : PackedMatrix.Pack(values, heads.Sequence, heads.Size, heads.Size);
        return new HeadOperand<T>(packed, rows, heads.Sequence, heads.Size);
    }
}
