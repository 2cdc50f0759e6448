using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Fixed-point convolution, hls4ml's Conv1D/Conv2D with ap_fixed types, what fixed-point
/// quantisation turns a Conv into (and an average pool, as a depthwise convolution whose weights
/// are 1/window). x (N, C, spatial...) holds raw <c>x_type</c>, w (M, C/group, kernel...) raw
/// <c>w_type</c>, B [M] raw <c>b_type</c>; y (N, M, output...) is raw <c>output_type</c>:
/// <code>
///   acc[n, m, ...] = B[m] + Σ x · w        over the receptive field, in accumulator_type
///   y              = cast_output(relu ? max(acc, 0) : acc)
/// </code>
/// with the Conv geometry attributes and the arithmetic of <see cref="FixedPointAccumulator"/>,
/// as <see cref="FixedGemm"/>. Padding contributes the real value zero.
/// </summary>
public sealed class FixedConv : OpDefinition
{
    public override string Name => "FixedConv";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = FixedPointAttributes.AddLayer(ConvGeometry.AddAttributes(OpSignature.Create()
        .Input("x").Input("w").Optional("B").Output("y")))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var output = FixedPointAttributes.InferLayer(context);
        var x = context.InputTensorType(0)?.Shape ?? Shape.UnknownRank;
        var w = context.InputTensorType(1)?.Shape ?? Shape.UnknownRank;
        return [ConvGeometry.OutputShape(context, x, w) is { } shape ? new TensorType(output, shape) : TypeRules.UnknownShape(output)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        if (x.Rank < 3 || w.Rank != x.Rank)
        {
            throw new InvalidNodeException($"expected x (N, C, spatial...) and w (M, C/group, kernel...) of the same rank ≥ 3, got [{string.Join(",", x.ShapeArray())}] and [{string.Join(",", w.ShapeArray())}]");
        }
        var geometry = ConvGeometry.Create(context, x.Shape, w.Shape);
        if (w.Dim(1) * geometry.Group != x.Dim(1))
        {
            throw new InvalidNodeException($"w expects {w.Dim(1)} channels per group of {geometry.Group}, x has {x.Dim(1)} channels");
        }
        var layer = FixedPointAttributes.Layer(context);
        int channels = w.Dim(0);
        var weights = context.Cached(w, () => FixedPointTensors.Raw(w));
        var y = FixedPointConvolution.Run(FixedPointTensors.Raw(x), x.Dim(0), x.Dim(1), weights, channels,
            FixedPointAttributes.Bias(context, layer, channels), geometry, layer);
        context.SetOutput(0, FixedPointTensors.FromRaw(y, layer.Output, [x.Dim(0), channels, .. geometry.Output]));
    }
}
