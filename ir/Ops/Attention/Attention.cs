using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Ops;

/// <summary>
/// Attention (opset 23, 24): softmax(scale · Q·Kᵀ, softcapped, plus mask bias) · V over 3-D
/// (batch, sequence, heads · size; q_num_heads / kv_num_heads say how to split) or 4-D (batch,
/// heads, sequence, size) inputs. Query heads share key/value heads in contiguous groups (GQA,
/// MQA). past_key/past_value are prepended to the new keys and values, and the result is
/// returned as present_key/present_value. qk_matmul_output_mode picks which intermediate the
/// optional fourth output shows: 0 the scaled product, 1 after softcap, 2 after the mask, 3 the
/// softmax. float64 is computed in float64; float32 and the half types (widened) in float32 on
/// the SGEMM.
/// </summary>
public sealed class Attention : OpDefinition
{
    public override string Name => "Attention";

    public override int SinceVersion => 23;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("Q").Input("K").Input("V")
        .Optional("attn_mask").Optional("past_key").Optional("past_value").Optional("nonpad_kv_seqlen")
        .Output("Y").OptionalOutput("present_key").OptionalOutput("present_value").OptionalOutput("qk_matmul_output")
        .Attr("is_causal", 0L)
        .Attr("kv_num_heads", AttributeKind.Int)
        .Attr("q_num_heads", AttributeKind.Int)
        .Attr("qk_matmul_output_mode", 0L)
        .Attr("scale", AttributeKind.Float)
        .Attr("softcap", 0f)
        .Attr("softmax_precision", AttributeKind.Int)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        OutputMode(context);
        var q = context.InputTensorType(0);
        var k = context.InputTensorType(1);
        var v = context.InputTensorType(2);
        var qDims = AttentionShapes.Heads(q, context.IntOrNull("q_num_heads"));
        var kDims = AttentionShapes.Heads(k, context.IntOrNull("kv_num_heads"));
        var vDims = AttentionShapes.Heads(v, context.IntOrNull("kv_num_heads"));
        if (q is null || k is null || v is null || qDims is null || kDims is null || vDims is null)
        {
            return [null, null, null, null];
        }
        Dim past = Dim.Known(0);
        if (context.HasInput(4))
        {
            past = context.InputTensorType(4) is { Shape.IsRankKnown: true, Shape.Rank: 4 } pastKey ? pastKey.Shape[2] : Dim.Unknown;
        }
        Dim total = AttentionShapes.Add(past, kDims[2]);
        bool merged = q.Shape.Rank == 3;
        return
        [
            AttentionShapes.Tensor(q.ElementType, qDims[0], qDims[1], qDims[2], vDims[3], merged),
            AttentionShapes.Tensor(k.ElementType, kDims[0], kDims[1], total, kDims[3], merged: false),
            AttentionShapes.Tensor(v.ElementType, vDims[0], vDims[1], AttentionShapes.Add(past, vDims[2]), vDims[3], merged: false),
            AttentionShapes.Tensor(q.ElementType, qDims[0], qDims[1], qDims[2], total, merged: false),
        ];
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
        var keyTensor = context.Input(1);
        var valueTensor = context.Input(2);
        if (queryTensor.Rank != keyTensor.Rank || keyTensor.Rank != valueTensor.Rank)
        {
            throw new InvalidNodeException($"Q, K and V must have the same rank, got {queryTensor.Rank}, {keyTensor.Rank} and {valueTensor.Rank}");
        }
        var q = AttentionHeads<T>.From(queryTensor, context.IntOrNull("q_num_heads"), "Q");
        var k = AttentionHeads<T>.From(keyTensor, context.IntOrNull("kv_num_heads"), "K");
        var v = AttentionHeads<T>.From(valueTensor, context.IntOrNull("kv_num_heads"), "V");
        var pastKey = context.OptionalInput(4);
        var pastValue = context.OptionalInput(5);
        if ((pastKey is null) != (pastValue is null))
        {
            throw new InvalidNodeException("past_key and past_value must be given together");
        }
        if (pastKey is not null && pastValue is not null)
        {
            k = AttentionHeads<T>.From(pastKey, null, "past_key").Append(k, "key");
            v = AttentionHeads<T>.From(pastValue, null, "past_value").Append(v, "value");
        }
        Check(q, k, v);

        int mode = OutputMode(context);
        var qk = context.IsOutputUsed(3) ? new T[q.Batch * q.Heads * q.Sequence * k.Sequence] : null;
        var bias = new AttentionBias<T>(context.OptionalInput(3), context.Int("is_causal") != 0, pastKey?.Dim(2),
            context.OptionalInput(6), q.Batch, q.Heads, q.Sequence, k.Sequence);
        T scale = context.HasAttribute("scale") ? T.CreateChecked(context.Float("scale")) : T.One / T.Sqrt(T.CreateChecked(q.Size));
        var y = Run(q, k, v, bias, scale, T.CreateChecked(context.Float("softcap")), mode, qk);

        context.SetOutput(0, y.ToTensor(queryTensor.ElementType, merged: queryTensor.Rank == 3));
        context.SetOutput(1, k.ToTensor(keyTensor.ElementType, merged: false));
        context.SetOutput(2, v.ToTensor(valueTensor.ElementType, merged: false));
        if (qk is not null)
        {
            var scores = new AttentionHeads<T>(qk, q.Batch, q.Heads, q.Sequence, k.Sequence);
            context.SetOutput(3, scores.ToTensor(queryTensor.ElementType, merged: false));
        }
    }

    private static AttentionHeads<T> Run<T>(AttentionHeads<T> q, AttentionHeads<T> k, AttentionHeads<T> v, AttentionBias<T> bias, T scale, T softcap, int mode, T[]? qk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = q.Sequence, total = k.Sequence, block = rows * total;
        int group = ScaledDotProduct.GroupSize(q.Heads, k.Heads);
        var y = new AttentionHeads<T>(new T[q.Batch * q.Heads * rows * v.Size], q.Batch, q.Heads, rows, v.Size);
        var scores = new T[block];
        var biasRows = bias.IsEmpty ? null : new T[block];
        for (int b = 0; b < q.Batch; b++)
        {
            for (int kvHead = 0; kvHead < k.Heads; kvHead++)
            {
                var keys = ScaledDotProduct.Keys(k, b, kvHead);
                var values = ScaledDotProduct.Values(v, b, kvHead);
                for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                {
                    var captured = qk is null ? default : qk.AsSpan((b * q.Heads + h) * block, block);
                    ScaledDotProduct.Scores(q.Head(b, h), rows, q.Size, keys, scale, scores);
                    Capture<T>(scores, captured, mode, 0);
                    if (softcap > T.Zero)
                    {
                        // Before the mask, so masked positions stay -inf instead of becoming -softcap.
                        TensorPrimitives.Divide(scores, softcap, scores);
                        TensorPrimitives.Tanh(scores, scores);
                        TensorPrimitives.Multiply(scores, softcap, scores);
                    }
                    Capture<T>(scores, captured, mode, 1);
                    if (biasRows is not null)
                    {
                        bias.Fill(b, h, biasRows);
                        TensorPrimitives.Add(scores, biasRows, scores);
                    }
                    Capture<T>(scores, captured, mode, 2);
                    ScaledDotProduct.Softmax<T>(scores, rows, total);
                    Capture<T>(scores, captured, mode, 3);
                    ScaledDotProduct.Weighted<T>(scores, rows, values, y.Head(b, h));
                }
            }
        }
        return y;
    }

    private static void Capture<T>(ReadOnlySpan<T> scores, Span<T> captured, int mode, int stage)
    {
        if (mode == stage && !captured.IsEmpty)
        {
            scores.CopyTo(captured);
        }
    }

    private static void Check<T>(AttentionHeads<T> q, AttentionHeads<T> k, AttentionHeads<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (q.Batch != k.Batch || k.Batch != v.Batch)
        {
            throw new InvalidNodeException($"Q, K and V have batch sizes {q.Batch}, {k.Batch} and {v.Batch}");
        }
        if (k.Heads != v.Heads || k.Sequence != v.Sequence)
        {
            throw new InvalidNodeException($"K has {k.Heads} heads over {k.Sequence} positions but V has {v.Heads} over {v.Sequence}");
        }
        if (q.Size != k.Size)
        {
            throw new InvalidNodeException($"Q's head size {q.Size} differs from K's {k.Size}");
        }
    }

    private static int OutputMode(OpContext context)
    {
        long mode = context.Int("qk_matmul_output_mode");
        return mode is >= 0 and <= 3
            ? (int)mode
            : throw new InvalidNodeException($"qk_matmul_output_mode must be 0, 1, 2 or 3, got {mode}");
    }
}
