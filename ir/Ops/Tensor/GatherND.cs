using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// GatherND: each innermost vector of "indices" (length m) addresses a slice of "data" by its first
/// m coordinates after the batch_dims leading batch axes (opset 12). The output shape is
/// indices.shape[:-1] + data.shape[batch_dims + m:].
/// </summary>
public sealed class GatherND : OpDefinition
{
    public override string Name => "GatherND";

    public override int SinceVersion => 11;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("data").Input("indices").Output("output")
        .Attr("batch_dims", 0L)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var data = context.InputTensorType(0);
        var indices = context.InputTensorType(1);
        if (data is not { Shape.IsRankKnown: true } || indices is not { Shape.IsRankKnown: true } || indices.Shape.Rank == 0
            || !indices.Shape[indices.Shape.Rank - 1].IsKnown)
        {
            return TensorOpTypes.Single(data?.ElementType, Shape.UnknownRank);
        }
        int batch = (int)context.Int("batch_dims");
        int depth = (int)indices.Shape[indices.Shape.Rank - 1].Value;
        if (batch + depth > data.Shape.Rank)
        {
            throw new InvalidNodeException($"batch_dims {batch} plus index length {depth} exceed the data rank {data.Shape.Rank}");
        }
        var dims = indices.Shape.Dims.Take(indices.Shape.Rank - 1).Concat(data.Shape.Dims.Skip(batch + depth));
        return TensorOpTypes.Single(data.ElementType, new Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        int batch = (int)context.Int("batch_dims");
        if (indices.Rank < 1 || batch < 0 || batch >= Math.Min(data.Rank, indices.Rank))
        {
            throw new InvalidNodeException($"batch_dims {batch} must be below the ranks of data ({data.Rank}) and indices ({indices.Rank})");
        }
        int depth = indices.Shape[^1];
        if (depth < 1 || batch + depth > data.Rank)
        {
            throw new InvalidNodeException($"index vectors of length {depth} cannot address data of rank {data.Rank} after {batch} batch axes");
        }
        for (int d = 0; d < batch; d++)
        {
            if (data.Shape[d] != indices.Shape[d])
            {
                throw new InvalidNodeException($"batch dimension {d} differs: data {TensorOpTypes.Format(data.Shape)}, indices {TensorOpTypes.Format(indices.Shape)}");
            }
        }
        var offsets = SliceOffsets(data.Shape, indices, batch, depth);
        int sliceLength = TensorOpTypes.Count(data.Shape, batch + depth, data.Rank);
        var shape = indices.Shape[..^1].ToArray().Concat(data.Shape[(batch + depth)..].ToArray()).ToArray();
        var buffer = new ElementBuffer(data.ElementType, Tensor.ElementCountOf(shape));
        for (int i = 0; i < offsets.Length; i++)
        {
            buffer.CopyFrom(data, offsets[i], i * sliceLength, sliceLength);
        }
        context.SetOutput(0, buffer.ToTensor(shape));
    }

    /// <summary>The data offset of the slice each index vector addresses (shared with ScatterND, batch_dims 0 there).</summary>
    internal static int[] SliceOffsets(ReadOnlySpan<int> dataShape, Tensor indices, int batch, int depth)
    {
        var values = TensorOpTypes.Indices(indices, "indices");
        var strides = Broadcasting.ContiguousStrides(dataShape);
        int vectors = values.Length / depth;
        int perBatch = batch == 0 ? vectors : vectors / TensorOpTypes.Count(dataShape, 0, batch);
        int batchStride = batch == 0 ? 0 : strides[batch - 1];
        var offsets = new int[vectors];
        for (int v = 0; v < vectors; v++)
        {
            int offset = perBatch == 0 ? 0 : v / perBatch * batchStride;
            for (int j = 0; j < depth; j++)
            {
                offset += TensorOpTypes.Index(values[v * depth + j], dataShape[batch + j], "GatherND") * strides[batch + j];
            }
            offsets[v] = offset;
        }
        return offsets;
    }
}
