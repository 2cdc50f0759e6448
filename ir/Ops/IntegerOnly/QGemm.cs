using Neurite.Ir.Kernels.Nn;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Integer-only fully connected layer, what quantisation turns a Gemm or MatMul into:
/// x [N, K], w [M, K] (one row per output, per-row scales), B [M] int32, y [N, M]:
/// <code>
///   acc[n, m] = Σ_k (x[n, k] - x_zero_point) · w[m, k] + B[m]
///   y[n, m]   = clamp(y_zero_point + multiplier[m] ⊗ acc[n, m], output_min, output_max)
/// </code>
/// with ⊗ the fixed-point product of <see cref="FixedPointMultiplier"/>, as <see cref="QConv"/>.
/// </summary>
public sealed class QGemm : OpDefinition
{
    public override string Name => "QGemm";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = IntegerLayerAttributes.Add(OpSignature.Create()
        .Input("x").Input("w").Optional("B").Output("y"))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var storage = IntegerLayerAttributes.OutputStorage(context);
        var x = context.InputTensorType(0)?.Shape;
        var w = context.InputTensorType(1)?.Shape;
        if (x is not { IsRankKnown: true } || w is not { IsRankKnown: true })
        {
            return [TypeRules.UnknownShape(storage)];
        }
        if (x.Rank != 2 || w.Rank != 2)
        {
            throw new InvalidNodeException($"QGemm takes x [N, K] and w [M, K], got ranks {x.Rank} and {w.Rank}");
        }
        if (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value)
        {
            throw new InvalidNodeException($"x has {x[1].Value} features but w expects {w[1].Value}");
        }
        return [new TensorType(storage, new Shape([x[0], w[0]]))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        if (x.Rank != 2 || w.Rank != 2 || x.Dim(1) != w.Dim(1))
        {
            throw new InvalidNodeException($"QGemm takes x [N, K] and w [M, K] with the same K, got [{string.Join(", ", x.ShapeArray())}] and [{string.Join(", ", w.ShapeArray())}]");
        }
        int n = x.Dim(0), k = x.Dim(1), m = w.Dim(0);
        // w as [K, M] for the product, prepared once per weight tensor.
        var wT = context.Cached(w, () => MatrixProduct.Transpose<int>(IntegerValues.ToInt32(w), m, k));
        var accumulators = new int[n * m];
        IntegerGemm.Multiply(IntegerValues.ToInt32(x, (int)context.Int("x_zero_point")), k, wT, m, accumulators, m, n, k, m);
        var (zero, min, max) = IntegerLayerAttributes.Range(context);
        context.SetOutput(0, IntegerRequantization.Run(accumulators, [n, m], channelAxis: 1,
            IntegerLayerAttributes.Bias(context.OptionalInput(2), m), IntegerLayerAttributes.Multipliers(context, m),
            zero, min, max, IntegerLayerAttributes.OutputStorage(context)));
    }
}
