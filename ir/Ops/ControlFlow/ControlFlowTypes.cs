namespace Neurite.Ir.Ops;

/// <summary>Types and values shared by If, Loop and Scan: covering types, per-iteration slices and stacked scan outputs.</summary>
internal static class ControlFlowTypes
{
    /// <summary>
    /// The type covering both (the outputs of two branches, or a value before and after a loop):
    /// equal parts kept, differing dimensions made unknown, through sequences and optionals.
    /// Unknown when either is unknown or they are of different kinds or element types.
    /// </summary>
    public static IrType? Join(IrType? a, IrType? b)
    {
        if (a is null || b is null)
        {
            return null;
        }
        if (a.Equals(b))
        {
            return a;
        }
        switch (a, b)
        {
            case (TensorType ta, TensorType tb) when ta.ElementType.Equals(tb.ElementType):
                if (!ta.Shape.IsRankKnown || !tb.Shape.IsRankKnown || ta.Shape.Rank != tb.Shape.Rank)
                {
                    return new TensorType(ta.ElementType, Shape.UnknownRank);
                }
                return new TensorType(ta.ElementType, new Shape(ta.Shape.Dims.Zip(tb.Shape.Dims, (x, y) => x == y ? x : Dim.Unknown)));
            case (SequenceType sa, SequenceType sb):
                return Join(sa.ElementType, sb.ElementType) is IrType items ? new SequenceType(items) : null;
            case (OptionalType oa, OptionalType ob):
                return Join(oa.ElementType, ob.ElementType) is IrType held ? new OptionalType(held) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The type with every dimension unknown but ranks and element types kept, through sequences
    /// and optionals: what a loop-carried value may be on any iteration, not only the first.
    /// </summary>
    public static IrType? AnyIteration(IrType? type) => type switch
    {
        TensorType { Shape.IsRankKnown: true } t => new TensorType(t.ElementType, Shape.OfRank(t.Shape.Rank)),
        SequenceType s => AnyIteration(s.ElementType) is IrType items ? new SequenceType(items) : null,
        OptionalType o => AnyIteration(o.ElementType) is IrType held ? new OptionalType(held) : null,
        _ => type,
    };

    /// <summary>
    /// Type of a scan output: the per-iteration type with a new axis of <paramref name="length"/>
    /// (the iteration count, unknown by default) inserted at <paramref name="axis"/>.
    /// </summary>
    public static IrType? Stacked(IrType? perIteration, int axis = 0, Dim? length = null)
    {
        if (perIteration is not TensorType t)
        {
            return null;
        }
        if (!t.Shape.IsRankKnown)
        {
            return t;
        }
        var dims = t.Shape.Dims.ToList();
        dims.Insert(Math.Clamp(axis < 0 ? axis + dims.Count + 1 : axis, 0, dims.Count), length ?? Dim.Unknown);
        return new TensorType(t.ElementType, new Shape(dims));
    }

    /// <summary>
    /// The item shape of a scan output that no iteration produced, as ONNX Runtime chooses it: the
    /// body output's declared shape with symbolic and unknown dimensions 0, or [] (a [0] result)
    /// when its rank is not declared either.
    /// </summary>
    public static int[] EmptyItemShape(TensorType? declared) =>
        declared is { Shape.IsRankKnown: true } t ? t.Shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 0).ToArray() : [];

    /// <summary>
    /// Stacks per-iteration tensors along a new axis (the scan outputs of Loop and Scan); with no
    /// items, an empty tensor of <paramref name="elementType"/> whose items have <paramref name="emptyItemShape"/>.
    /// </summary>
    public static Tensor Stack(IReadOnlyList<Tensor> items, int axis, ElementType elementType, ReadOnlySpan<int> emptyItemShape)
    {
        if (items.Count == 0)
        {
            var emptyShape = emptyItemShape.ToArray().ToList();
            emptyShape.Insert(axis, 0);
            return Tensor.Zeros(elementType, emptyShape.ToArray());
        }
        var itemShape = items[0].ShapeArray();
        foreach (var item in items)
        {
            if (!item.Shape.SequenceEqual(itemShape))
            {
                throw new InvalidNodeException($"scan output items have different shapes: [{string.Join(",", itemShape)}] and [{string.Join(",", item.Shape.ToArray())}]");
            }
        }
        var withAxis = itemShape.ToList();
        withAxis.Insert(axis, 1);
        var shape = withAxis.ToArray();
        return AxisBlocks.Concat(items.Select(item => item.Reshape(shape)).ToList(), axis);
    }

    /// <summary>Slice <paramref name="index"/> of <paramref name="tensor"/> along <paramref name="axis"/>, with that axis removed.</summary>
    public static Tensor Take(Tensor tensor, int axis, int index)
    {
        var itemShape = tensor.ShapeArray().Where((_, d) => d != axis).ToArray();
        return AxisBlocks.Slice(tensor, axis, index, 1).Reshape(itemShape);
    }
}
