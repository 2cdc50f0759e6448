using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// Tile: repeats the whole input along each axis ("repeats" input from opset 6; opset 1 takes
/// "tiles" and "axis" inputs for a single axis). Output axis d reads input axis d modulo its size,
/// which is a strided view over shape [r0, d0, r1, d1, ...] with zero strides on the repeats.
/// </summary>
public sealed class Tile : OpDefinition
{
    public override string Name => "Tile";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Input("repeats").Optional("axis").Output("output")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var input = context.InputTensorType(0);
        if (input is not { Shape.IsRankKnown: true })
        {
            return TensorOpTypes.Single(input?.ElementType, Shape.UnknownRank);
        }
        var dims = input.Shape.Dims;
        long[]? repeats = context.Opset < 6
            ? LegacyRepeats(context.ConstantInput(1), context.ConstantInput(2), dims.Length)
            : TensorOpTypes.ConstantInts(context, 1);
        if (repeats is null)
        {
            return TensorOpTypes.Single(input.ElementType, Shape.OfRank(dims.Length));
        }
        Check(repeats, dims.Length);
        return TensorOpTypes.Single(input.ElementType, new Shape(dims.Select((d, i) => TensorOpTypes.Product([d, Dim.Known(repeats[i])]))));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        long[] repeats = context.Opset < 6
            ? LegacyRepeats(context.Input(1), context.Input(2), input.Rank)!
            : context.Input(1).ToInt64Array();
        Check(repeats, input.Rank);
        var strides = Broadcasting.ContiguousStrides(input.Shape);
        var viewShape = new int[2 * input.Rank];
        var viewStrides = new int[2 * input.Rank];
        var shape = new int[input.Rank];
        for (int d = 0; d < input.Rank; d++)
        {
            viewShape[2 * d] = (int)repeats[d];
            viewShape[2 * d + 1] = input.Shape[d];
            viewStrides[2 * d + 1] = strides[d];
            shape[d] = checked((int)repeats[d] * input.Shape[d]);
        }
        context.SetOutput(0, StridedCopy.Run(input, 0, viewShape, viewStrides).Reshape(shape));
    }

    /// <summary>Opset 1: repeat "tiles" times along "axis", once along the others.</summary>
    private static long[]? LegacyRepeats(Tensor? tiles, Tensor? axis, int rank)
    {
        if (tiles is null || axis is null)
        {
            return null;
        }
        var repeats = Enumerable.Repeat(1L, rank).ToArray();
        repeats[OpContext.NormalizeAxis(axis.GetInt64(0), rank)] = tiles.GetInt64(0);
        return repeats;
    }

    private static void Check(long[] repeats, int rank)
    {
        if (repeats.Length != rank)
        {
            throw new InvalidNodeException($"repeats has {repeats.Length} entries, the input has rank {rank}");
        }
        if (repeats.Any(r => r < 0))
        {
            throw new InvalidNodeException($"repeats [{string.Join(",", repeats)}] has a negative entry");
        }
    }
}
