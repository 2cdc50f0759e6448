namespace Neurite.Ir.Kernels;

/// <summary>
/// Runs elementwise ops over tensors with broadcasting. The output index space is walked in rows
/// (see <see cref="BroadcastWalk"/>); within a row each input is either contiguous or a single
/// broadcast value, so every row is one span call (vectorised where the op provides it).
/// No allocation per element.
/// </summary>
public static class Elementwise
{
    public static Tensor Unary<TIn, TOut, TOp>(Tensor x, ElementType? outputType = null)
        where TIn : unmanaged where TOut : unmanaged where TOp : IUnaryOp<TIn, TOut>
    {
        var input = x.Span<TIn>();
        // Every element is written below, so the array need not be zeroed first.
        var result = GC.AllocateUninitializedArray<TOut>(x.Length);
        if (!TOp.TryApply(input, result))
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = TOp.Apply(input[i]);
            }
        }
        return Tensor.Create(outputType ?? ElementType.Of(Tensor.StorageOf<TOut>()), result, x.Shape);
    }

    public static Tensor Binary<TIn, TOut, TOp>(Tensor a, Tensor b, ElementType? outputType = null)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        var shape = Broadcasting.Shape(a.Shape, b.Shape);
        // Every element is written by exactly one row, so the array need not be zeroed first.
        var result = GC.AllocateUninitializedArray<TOut>(Tensor.ElementCountOf(shape));
        Binary<TIn, TOut, TOp>(a.Span<TIn>(), a.Shape, b.Span<TIn>(), b.Shape, result, shape);
        return Tensor.Create(outputType ?? ElementType.Of(Tensor.StorageOf<TOut>()), result, shape);
    }

    /// <summary>The span form, for kernels that manage their own buffers.</summary>
    public static void Binary<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<int> shapeA, ReadOnlySpan<TIn> b, ReadOnlySpan<int> shapeB,
        Span<TOut> result, ReadOnlySpan<int> shape)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        if (shapeA.SequenceEqual(shapeB))
        {
            // The common case, without the walk's set-up.
            Row<TIn, TOut, TOp>(a, 1, b, 1, result);
            return;
        }
        var rows = new BinaryRows<TIn, TOut, TOp>(a, b, result);
        BroadcastWalk.Run(shape, [shapeA.ToArray(), shapeB.ToArray()], ref rows);
    }

    private ref struct BinaryRows<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> result) : IRowVisitor
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        private readonly ReadOnlySpan<TIn> a = a;
        private readonly ReadOnlySpan<TIn> b = b;
        private readonly Span<TOut> result = result;

        public readonly void Row(int outputOffset, int length, scoped ReadOnlySpan<int> inputOffsets, scoped ReadOnlySpan<int> innerStrides) =>
            Row<TIn, TOut, TOp>(a[inputOffsets[0]..], innerStrides[0], b[inputOffsets[1]..], innerStrides[1], result.Slice(outputOffset, length));
    }

    private static void Row<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, int strideA, ReadOnlySpan<TIn> b, int strideB, Span<TOut> result)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        int n = result.Length;
        if (strideA == 1 && strideB == 1)
        {
            var sa = a[..n];
            var sb = b[..n];
            if (!TOp.TryApply(sa, sb, result))
            {
                for (int i = 0; i < n; i++)
                {
                    result[i] = TOp.Apply(sa[i], sb[i]);
                }
            }
        }
        else if (strideB == 0 && strideA == 1)
        {
            var sa = a[..n];
            TIn vb = b[0];
            if (!TOp.TryApply(sa, vb, result))
            {
                for (int i = 0; i < n; i++)
                {
                    result[i] = TOp.Apply(sa[i], vb);
                }
            }
        }
        else if (strideA == 0 && strideB == 1)
        {
            TIn va = a[0];
            var sb = b[..n];
            if (!TOp.TryApply(va, sb, result))
            {
                for (int i = 0; i < n; i++)
                {
                    result[i] = TOp.Apply(va, sb[i]);
                }
            }
        }
        else
        {
            result.Fill(TOp.Apply(a[0], b[0]));
        }
    }
}
