using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// LinearAttention (opset 27): a recurrent state S (d_k × d_v per key/value head) updated once
/// per time step and read by the queries, over 3-D packed (batch, time, heads · size) inputs:
/// <code>
///   "linear":      S = S + k ⊗ v
///   "gated":       S = exp(g) · S + k ⊗ v
///   "delta":       S = S + k ⊗ β(v - Sᵀk)
///   "gated_delta": S = exp(g) · S, then S = S + k ⊗ β(v - Sᵀk)     (the default)
///   output:        o = scale · qᵀ S       (scale defaults to 1/√d_k)
/// </code>
/// decay g is per head (B, T, H_kv) or per key feature (B, T, H_kv · d_k); beta is per head or one
/// value (B, T, 1); erase_gate, if given, multiplies k inside the delta's read. Query heads share
/// states in contiguous groups. Computed in float64 for a float64 query, else in float32;
/// present_state takes past_state's type, or the query's when there is no past.
/// </summary>
public sealed class LinearAttention : OpDefinition
{
    public override string Name => "LinearAttention";

    public override int SinceVersion => 27;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("query").Input("key").Input("value")
        .Optional("past_state").Optional("decay").Optional("beta").Optional("erase_gate")
        .Output("output").OptionalOutput("present_state")
        .Attr("chunk_size", AttributeKind.Int)
        .Attr("kv_num_heads", AttributeKind.Int, required: true)
        .Attr("q_num_heads", AttributeKind.Int, required: true)
        .Attr("scale", AttributeKind.Float)
        .Attr("update_rule", "gated_delta")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        UpdateRule(context);
        var q = context.InputTensorType(0);
        var v = context.InputTensorType(2);
        if (q is null)
        {
            return [null, null];
        }
        long qHeads = context.Int("q_num_heads"), kvHeads = context.Int("kv_num_heads");
        var qDims = AttentionShapes.Heads(q, qHeads);
        var kDims = AttentionShapes.Heads(context.InputTensorType(1), kvHeads);
        var vDims = AttentionShapes.Heads(v, kvHeads);
        var stateElement = context.InputTensorType(3)?.ElementType ?? q.ElementType;
        if (qDims is null || kDims is null || vDims is null)
        {
            return [TypeRules.UnknownShape(q.ElementType), TypeRules.UnknownShape(stateElement)];
        }
        return
        [
            AttentionShapes.Tensor(q.ElementType, qDims[0], qDims[1], qDims[2], vDims[3], merged: true),
            new TensorType(stateElement, Shape.Of(qDims[0], Dim.Known(kvHeads), kDims[3], vDims[3])),
        ];
    }

    public override void Evaluate(EvaluationContext context)
    {
        string rule = UpdateRule(context);
        bool gated = rule is "gated" or "gated_delta", delta = rule is "delta" or "gated_delta";
        var decayTensor = context.OptionalInput(4);
        var betaTensor = context.OptionalInput(5);
        var eraseTensor = context.OptionalInput(6);
        if (gated != decayTensor is not null || delta != betaTensor is not null || (!delta && eraseTensor is not null))
        {
            throw new InvalidNodeException(
                $"update_rule \"{rule}\" {(gated ? "requires" : "forbids")} decay and {(delta ? "requires" : "forbids")} beta (and erase_gate)");
        }
        if (context.Input(0).DataType == DataType.Float64)
        {
            Run<double>(context, decayTensor, betaTensor, eraseTensor);
        }
        else
        {
            Run<float>(context, decayTensor, betaTensor, eraseTensor);
        }
    }

    private static void Run<T>(EvaluationContext context, Tensor? decayTensor, Tensor? betaTensor, Tensor? eraseTensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var queryTensor = context.Input(0);
        int qHeads = checked((int)context.Int("q_num_heads")), kvHeads = checked((int)context.Int("kv_num_heads"));
        var q = AttentionHeads<T>.From(queryTensor, qHeads, "query");
        var k = AttentionHeads<T>.From(context.Input(1), kvHeads, "key");
        var v = AttentionHeads<T>.From(context.Input(2), kvHeads, "value");
        if (queryTensor.Rank != 3 || q.Batch != k.Batch || k.Batch != v.Batch || q.Sequence != k.Sequence || k.Sequence != v.Sequence || q.Size != k.Size)
        {
            throw new InvalidNodeException("query, key and value must be 3-D (batch, time, heads · size) with matching batch, time and key size");
        }
        var recurrence = new LinearRecurrence<T>(q, k, v, ScaledDotProduct.GroupSize(qHeads, kvHeads))
        {
            Decay = decayTensor is null ? null : PerStep<T>(decayTensor, "decay", q.Batch, q.Sequence, kvHeads, [kvHeads, kvHeads * k.Size]),
            Beta = betaTensor is null ? null : PerStep<T>(betaTensor, "beta", q.Batch, q.Sequence, kvHeads, [kvHeads, 1]),
            Erase = eraseTensor is null ? null : PerStep<T>(eraseTensor, "erase_gate", q.Batch, q.Sequence, kvHeads, [kvHeads * k.Size]),
            Scale = context.HasAttribute("scale") && context.Float("scale") != 0 ? T.CreateChecked(context.Float("scale")) : T.One / T.Sqrt(T.CreateChecked(k.Size)),
        };
        var pastState = context.OptionalInput(3);
        var state = InitialState<T>(pastState, q.Batch, kvHeads, k.Size, v.Size);
        var output = recurrence.Run(state);

        context.SetOutput(0, output.ToTensor(queryTensor.ElementType, merged: true));
        var present = Tensor.Create(AttentionHeads<T>.ComputeType, state, [q.Batch, kvHeads, k.Size, v.Size]);
        context.SetOutput(1, TensorConvert.Convert(present, pastState?.ElementType ?? queryTensor.ElementType));
    }

    private static T[] InitialState<T>(Tensor? past, int batch, int heads, int keySize, int valueSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (past is null)
        {
            return new T[batch * heads * keySize * valueSize];
        }
        if (!past.Shape.SequenceEqual([batch, heads, keySize, valueSize]))
        {
            throw new InvalidNodeException($"past_state has shape [{string.Join(", ", past.ShapeArray())}], expected [{batch}, {heads}, {keySize}, {valueSize}]");
        }
        return AttentionHeads<T>.Values(past);
    }

    /// <summary>A (batch, time, heads · width) gate as (batch, heads, time, width) with width per head.</summary>
    private static AttentionHeads<T> PerStep<T>(Tensor gate, string name, int batch, int time, int heads, int[] allowedLast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gate.Rank != 3 || gate.Dim(0) != batch || gate.Dim(1) != time || !allowedLast.Contains(gate.Dim(2)))
        {
            throw new InvalidNodeException($"{name} must be ({batch}, {time}, one of {string.Join(" or ", allowedLast)}), got [{string.Join(", ", gate.ShapeArray())}]");
        }
        int groups = gate.Dim(2) == 1 ? 1 : heads;
        return AttentionHeads<T>.Split(AttentionHeads<T>.Values(gate), batch, time, groups, gate.Dim(2) / groups);
    }

    private static string UpdateRule(OpContext context)
    {
        string rule = context.String("update_rule");
        return rule is "linear" or "gated" or "delta" or "gated_delta"
            ? rule
            : throw new InvalidNodeException($"update_rule must be \"linear\", \"gated\", \"delta\" or \"gated_delta\", not \"{rule}\"");
    }
}
