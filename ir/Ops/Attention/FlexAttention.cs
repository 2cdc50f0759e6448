using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// FlexAttention (ai.onnx.preview): scores = scale · Q·Kᵀ over 4-D (batch, heads, sequence,
/// size) inputs, then the optional score_mod subgraph on the whole (B, Hq, L, S) score tensor,
/// softmax over the keys, the optional prob_mod subgraph on the probabilities, and · V. Query
/// heads share key/value heads in contiguous groups. The subgraphs see the scores in the softmax
/// precision: float32 for float16, bfloat16 and float32 inputs, float64 for float64 (or what
/// softmax_precision names). float64 inputs are computed in float64, the others in float32 on
/// the SGEMM.
/// </summary>
public sealed class FlexAttention : OpDefinition
{
    public override string Name => "FlexAttention";

    public override string Domain => "ai.onnx.preview";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("Q").Input("K").Input("V").Output("Y")
        .Attr("scale", AttributeKind.Float)
        .Attr("score_mod", AttributeKind.Graph)
        .Attr("prob_mod", AttributeKind.Graph)
        .Attr("softmax_precision", AttributeKind.Int)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        var q = context.InputTensorType(0);
        var qDims = AttentionShapes.Heads(q, null);
        var kDims = AttentionShapes.Heads(context.InputTensorType(1), null);
        var vDims = AttentionShapes.Heads(context.InputTensorType(2), null);
        if (q is null || qDims is null || kDims is null || vDims is null || q.Shape.Rank != 4)
        {
            return [q is null ? null : TypeRules.UnknownShape(q.ElementType)];
        }
        var scores = new TensorType(Precision(context, q.ElementType), Shape.Of(qDims[0], qDims[1], qDims[2], kDims[2]));
        foreach (var name in new[] { "score_mod", "prob_mod" })
        {
            if (context.GraphAttribute(name) is Graph modifier)
            {
                context.InferSubgraph(modifier, [scores]);
            }
        }
        return [AttentionShapes.Tensor(q.ElementType, qDims[0], qDims[1], qDims[2], vDims[3], merged: false)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        if (context.Input(0).DataType == DataType.Float64)
        {
            Evaluate<double>(context);
        }
        else
        {
            Evaluate<float>(context);
        }
    }

    private static void Evaluate<T>(EvaluationContext context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var queryTensor = context.Input(0);
        foreach (var input in new[] { queryTensor, context.Input(1), context.Input(2) })
        {
            if (input.Rank != 4)
            {
                throw new InvalidNodeException($"FlexAttention takes 4-D (batch, heads, sequence, size) inputs, got rank {input.Rank}");
            }
        }
        var q = AttentionHeads<T>.From(queryTensor, null, "Q");
        var k = AttentionHeads<T>.From(context.Input(1), null, "K");
        var v = AttentionHeads<T>.From(context.Input(2), null, "V");
        if (q.Batch != k.Batch || k.Batch != v.Batch || k.Heads != v.Heads || k.Sequence != v.Sequence || q.Size != k.Size)
        {
            throw new InvalidNodeException(
                $"Q [{q.Batch}, {q.Heads}, {q.Sequence}, {q.Size}], K [{k.Batch}, {k.Heads}, {k.Sequence}, {k.Size}] and V [{v.Batch}, {v.Heads}, {v.Sequence}, {v.Size}] do not fit together");
        }
        int group = ScaledDotProduct.GroupSize(q.Heads, k.Heads);
        int rows = q.Sequence, total = k.Sequence, block = rows * total;
        T scale = context.HasAttribute("scale") ? T.CreateChecked(context.Float("scale")) : T.One / T.Sqrt(T.CreateChecked(q.Size));
        var precision = Precision(context, queryTensor.ElementType);

        var scores = new T[q.Batch * q.Heads * block];
        for (int b = 0; b < q.Batch; b++)
        {
            for (int kvHead = 0; kvHead < k.Heads; kvHead++)
            {
                var keys = ScaledDotProduct.Keys(k, b, kvHead);
                for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                {
                    ScaledDotProduct.Scores(q.Head(b, h), rows, q.Size, keys, scale, scores.AsSpan((b * q.Heads + h) * block, block));
                }
            }
        }
        int[] scoreShape = [q.Batch, q.Heads, rows, total];
        scores = Modify(context, "score_mod", scores, scoreShape, precision);
        ScaledDotProduct.Softmax<T>(scores, q.Batch * q.Heads * rows, total);
        scores = Modify(context, "prob_mod", scores, scoreShape, precision);

        var y = new AttentionHeads<T>(new T[q.Batch * q.Heads * rows * v.Size], q.Batch, q.Heads, rows, v.Size);
        for (int b = 0; b < q.Batch; b++)
        {
            for (int kvHead = 0; kvHead < k.Heads; kvHead++)
            {
                var values = ScaledDotProduct.Values(v, b, kvHead);
                for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                {
                    ScaledDotProduct.Weighted<T>(scores.AsSpan((b * q.Heads + h) * block, block), rows, values, y.Head(b, h));
                }
            }
        }
        context.SetOutput(0, y.ToTensor(queryTensor.ElementType, merged: false));
    }

    /// <summary>Runs the named modifier subgraph, if the node has one, on the (B, H, L, S) tensor in the softmax precision.</summary>
    private static T[] Modify<T>(EvaluationContext context, string name, T[] values, int[] shape, ElementType precision)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (context.GraphAttribute(name) is not Graph modifier)
        {
            return values;
        }
        var input = TensorConvert.Convert(Tensor.Create(AttentionHeads<T>.ComputeType, values, shape), precision);
        var outputs = context.RunSubgraph(modifier, [input]);
        if (outputs.Count != 1 || outputs[0] is not Tensor result || !result.Shape.SequenceEqual(shape))
        {
            throw new InvalidNodeException($"{name} must return one tensor of shape [{string.Join(", ", shape)}]");
        }
        return AttentionHeads<T>.Values(result);
    }

    private static ElementType Precision(OpContext context, ElementType input)
    {
        if (context.IntOrNull("softmax_precision") is long code)
        {
            return OnnxTypeCodes.RequireNumeric(code, "softmax_precision");
        }
        return input.Storage == DataType.Float64 ? ElementType.Float64 : ElementType.Float32;
    }
}
