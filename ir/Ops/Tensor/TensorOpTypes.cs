namespace Neurite.Ir.Ops;

/// <summary>
/// Inference helpers of the tensor-manipulation ops: reading constant inputs, building output
/// types and doing arithmetic on dimensions that may be symbolic.
/// </summary>
internal static class TensorOpTypes
{
    /// <summary>A tensor type of <paramref name="element"/> and <paramref name="shape"/>, or unknown when the element type is.</summary>
    public static IReadOnlyList<IrType?> Single(ElementType? element, Shape shape) =>
        [element is null ? null : new TensorType(element, shape)];

    /// <summary>A constant integer input's values (shapes, axes, pads), or null when not constant or absent.</summary>
    public static long[]? ConstantInts(InferenceContext context, int index) =>
        context.HasInput(index) && context.ConstantInput(index) is { } t && (t.DataType.IsInteger() || t.DataType == DataType.Bool)
            ? t.ToInt64Array()
            : null;

    /// <summary>The length of a 1-D input (a shape or axes vector) when its type says it, else null.</summary>
    public static int? VectorLength(InferenceContext context, int index) =>
        context.InputTensorType(index) is { Shape: { IsRankKnown: true, Rank: 1 } s } && s[0].IsKnown ? (int)s[0].Value : null;

    /// <summary>The product of dimensions: known when all are; the one symbol when the others are known ones.</summary>
    public static Dim Product(IEnumerable<Dim> dims)
    {
        long known = 1;
        Dim? symbolic = null;
        int unknown = 0;
        foreach (var d in dims)
        {
            if (d.IsKnown)
            {
                known *= d.Value;
            }
            else if (symbolic is null && d.IsSymbolic)
            {
                symbolic = d;
            }
            else
            {
                unknown++;
            }
        }
        if (known == 0)
        {
            return Dim.Known(0);
        }
        if (symbolic is null && unknown == 0)
        {
            return Dim.Known(known);
        }
        return unknown == 0 && known == 1 ? symbolic!.Value : Dim.Unknown;
    }

    /// <summary>The sum of two dimensions when both are known, else unknown.</summary>
    public static Dim Sum(Dim a, Dim b) => a.IsKnown && b.IsKnown ? Dim.Known(a.Value + b.Value) : Dim.Unknown;

    /// <summary>The dimension both agree on: a known size wins over a symbol; two different known sizes contradict.</summary>
    public static Dim Unify(Dim a, Dim b, string what)
    {
        if (a.IsKnown && b.IsKnown && a.Value != b.Value)
        {
            throw new InvalidNodeException($"{what}: {a.Value} and {b.Value} differ");
        }
        if (a.IsKnown)
        {
            return a;
        }
        if (b.IsKnown)
        {
            return b;
        }
        return a == b ? a : Dim.Unknown;
    }

    /// <summary>The product of the sizes in <paramref name="shape"/> from <paramref name="start"/> up to (not including) <paramref name="end"/>.</summary>
    public static int Count(ReadOnlySpan<int> shape, int start, int end) => Tensor.ElementCountOf(shape[start..end]);

    /// <summary>Checks that a shape given as values (the input of ConstantOfShape or Expand) has no negative size.</summary>
    public static long[] RequireSizes(long[] shape) => shape.All(d => d >= 0)
        ? shape
        : throw new InvalidNodeException($"shape [{string.Join(",", shape)}] has a negative dimension");

    /// <summary>Checks that an integer input holds indices (int32 or int64) and reads them.</summary>
    public static long[] Indices(Tensor indices, string what)
    {
        if (indices.DataType is not (DataType.Int32 or DataType.Int64))
        {
            throw new InvalidNodeException($"{what} must be int32 or int64, got {indices.ElementType}");
        }
        return indices.ToInt64Array();
    }

    /// <summary>Normalises a possibly negative index into [0, size), with a message naming what it indexes.</summary>
    public static int Index(long index, int size, string what)
    {
        long normalized = index < 0 ? index + size : index;
        if (normalized < 0 || normalized >= size)
        {
            throw new InvalidNodeException($"{what} index {index} is out of range for a dimension of size {size}");
        }
        return (int)normalized;
    }

    public static string Format(ReadOnlySpan<int> shape) => $"[{string.Join(",", shape.ToArray())}]";
}
