using System.Diagnostics.CodeAnalysis;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>The shape and element type of the random ops' outputs, and the float64 draws turned into them.</summary>
internal static class RandomOutput
{
    /// <summary>float64 values as a tensor of <paramref name="type"/> (C-cast conversion).</summary>
    public static Tensor ToTensor(double[] values, ReadOnlySpan<int> shape, ElementType type) =>
        TensorConvert.Convert(Tensor.Create(ElementType.Float64, values, shape), type);

    /// <summary>The element type the "dtype" attribute names (or its default).</summary>
    public static ScalarType DType(OpContext context) =>
        OnnxTypeCodes.RequireNumeric(context.Int("dtype"), "dtype", allowBool: true);

    /// <summary>The "dtype" attribute's element type, or <paramref name="fallback"/> when the node has none.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public static ElementType? DTypeOr(OpContext context, ElementType? fallback) =>
        context.HasAttribute("dtype") ? DType(context) : fallback;

    /// <summary>The type of an output shaped like input 0: its shape, and dtype's type or else its own.</summary>
    public static TensorType? LikeInput(InferenceContext context)
    {
        var input = context.InputTensorType(0);
        var element = DTypeOr(context, input?.ElementType);
        return element is null ? null : new TensorType(element, input?.Shape ?? Shape.UnknownRank);
    }

    /// <summary>The "shape" attribute as sizes.</summary>
    public static int[] ShapeAttribute(OpContext context)
    {
        var shape = context.Ints("shape") ?? throw new InvalidNodeException("attribute 'shape' is required");
        return shape.Select(d => d >= 0 && d <= int.MaxValue
            ? (int)d
            : throw new InvalidNodeException($"shape [{string.Join(", ", shape)}] has a negative or oversized dimension")).ToArray();
    }
}
