using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Integer-only convolution, what quantisation turns a Conv into:
/// <code>
///   acc[n, m, ...] = Σ (x - x_zero_point) · w  +  B[m]                 (int32)
///   y = clamp(y_zero_point + multiplier[m] ⊗ acc, output_min, output_max)
/// </code>
/// where ⊗ is the fixed-point product of <see cref="FixedPointMultiplier"/> (one rounding, ties to even).
/// w is symmetric (no zero point), per tensor or per output channel, of 8 or fewer bits (int4
/// weights are int8 storage). Every number is an integer: the interpreter and the emitted
/// integer C compute the same bits.
/// </summary>
public sealed class QConv : OpDefinition
{
    public override string Name => "QConv";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = IntegerLayerAttributes.Add(ConvGeometry.AddAttributes(OpSignature.Create()
        .Input("x").Input("w").Optional("B").Output("y")))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        [IntegerConvolutionNode.InferOutput(context, 0, 1, IntegerLayerAttributes.OutputStorage(context))];

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        var xZeroPoint = Tensor.Scalar((int)context.Int("x_zero_point"));
        var (accumulators, shape) = IntegerConvolutionNode.Accumulate(context, x, xZeroPoint, w, wZeroPoint: null);
        int channels = w.Dim(0);
        var (zero, min, max) = IntegerLayerAttributes.Range(context);
        context.SetOutput(0, IntegerRequantization.Run(accumulators, shape, channelAxis: 1,
            IntegerLayerAttributes.Bias(context.OptionalInput(2), channels), IntegerLayerAttributes.Multipliers(context, channels),
            zero, min, max, IntegerLayerAttributes.OutputStorage(context)));
    }
}
