namespace Neurite.Ir.Ops;

/// <summary>
/// What DepthToSpace and SpaceToDepth share: both move blocksize × blocksize tiles between the
/// channel axis and the two spatial axes of an [N, C, H, W] tensor, and both are one strided view
/// of the input. Their inference multiplies one side by the block and divides the other.
/// </summary>
internal static class SpatialBlocks
{
    /// <summary>The output type, from the input's [N, C, H, W] dimensions and the block size; rank 4 even when the input's rank is unknown.</summary>
    public static IReadOnlyList<IrType?> InferTypes(InferenceContext context, Func<Dim[], int, Shape> outputShape)
    {
        var input = context.InputTensorType(0);
        if (input is not { Shape.IsRankKnown: true })
        {
            return TensorOpTypes.Single(input?.ElementType, Shape.OfRank(4));
        }
        Require4D(context, input.Shape.Rank);
        return TensorOpTypes.Single(input.ElementType, outputShape([.. input.Shape.Dims], BlockSize(context)));
    }

    /// <summary>The "blocksize" attribute, which must be positive.</summary>
    public static int BlockSize(OpContext context)
    {
        long b = context.Int("blocksize");
        return b is >= 1 and <= int.MaxValue ? (int)b : throw new InvalidNodeException($"blocksize must be positive, got {b}");
    }

    public static void Require4D(OpContext context, int rank)
    {
        if (rank != 4)
        {
            throw new InvalidNodeException($"{context.Node.OpType} needs a 4-D [N, C, H, W] input, got rank {rank}");
        }
    }

    /// <summary>Throws unless <paramref name="size"/> is a multiple of <paramref name="divisor"/>, naming both (e.g. "the height", "blocksize").</summary>
    public static void RequireMultiple(long size, long divisor, string what, string divisorName)
    {
        if (size % divisor != 0)
        {
            throw new InvalidNodeException($"{what} {size} is not a multiple of {divisorName} = {divisor}");
        }
    }

    /// <summary>A dimension divided by the block: known when the size is (and checked to divide), the same symbol when the block is 1.</summary>
    public static Dim Divide(Dim size, long divisor, string what, string divisorName)
    {
        if (!size.IsKnown)
        {
            return divisor == 1 ? size : Dim.Unknown;
        }
        RequireMultiple(size.Value, divisor, what, divisorName);
        return Dim.Known(size.Value / divisor);
    }

    /// <summary>A dimension multiplied by the block: known when the size is, the same symbol when the block is 1.</summary>
    public static Dim Multiply(Dim size, long factor) => TensorOpTypes.Product([size, Dim.Known(factor)]);
}
