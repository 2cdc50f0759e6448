using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Fixed-point fully connected layer, hls4ml's Dense with ap_fixed types, what fixed-point
/// quantisation turns a Gemm or MatMul into. x [N, K] holds raw integers of <c>x_type</c>
/// fixed&lt;Wx,Ix&gt;, w [M, K] (one row per output) of <c>w_type</c>, B [M] of <c>b_type</c>;
/// y [N, M] is raw <c>output_type</c>:
/// <code>
///   acc[n, m] = B[m] + Σ_k x[n, k] · w[m, k]         in accumulator_type fixed&lt;Wa,Ia&gt;
///   y[n, m]   = cast_output(relu ? max(acc, 0) : acc)
/// </code>
/// Products are exact (Fx + Fw fraction bits); the accumulator, the ReLU and the cast (its
/// rounding and overflow modes) are those of <see cref="FixedPointAccumulator"/>. Every number is
/// an integer: the interpreter and an integer target compute the same bits.
/// </summary>
public sealed class FixedGemm : OpDefinition
{
    public override string Name => "FixedGemm";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = FixedPointAttributes.AddLayer(OpSignature.Create()
        .Input("x").Input("w").Optional("B").Output("y"))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var output = FixedPointAttributes.InferLayer(context);
        var x = context.InputTensorType(0)?.Shape;
        var w = context.InputTensorType(1)?.Shape;
        if (x is not { IsRankKnown: true } || w is not { IsRankKnown: true })
        {
            return [TypeRules.UnknownShape(output)];
        }
        if (x.Rank != 2 || w.Rank != 2)
        {
            throw new InvalidNodeException($"FixedGemm takes x [N, K] and w [M, K], got ranks {x.Rank} and {w.Rank}");
        }
        if (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value)
        {
            throw new InvalidNodeException($"x has {x[1].Value} features but w expects {w[1].Value}");
        }
        return [new TensorType(output, new Shape([x[0], w[0]]))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        if (x.Rank != 2 || w.Rank != 2 || x.Dim(1) != w.Dim(1))
        {
            throw new InvalidNodeException($"FixedGemm takes x [N, K] and w [M, K] with the same K, got [{string.Join(", ", x.ShapeArray())}] and [{string.Join(", ", w.ShapeArray())}]");
        }
        int n = x.Dim(0), k = x.Dim(1), m = w.Dim(0);
        var layer = FixedPointAttributes.Layer(context);
        var weights = context.Cached(w, () => FixedPointTensors.Raw(w));
        var y = new long[n * m];
        layer.Run(FixedPointTensors.Raw(x), n, weights, m, k, FixedPointAttributes.Bias(context, layer, m), biasByRow: false, y);
        context.SetOutput(0, FixedPointTensors.FromRaw(y, layer.Output, [n, m]));
    }
}
