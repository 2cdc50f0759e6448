using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// SpaceToDepth: moves blocksize x blocksize spatial tiles into channels, [N, C, H, W] to
/// [N, C·b², H / b, W / b], channel index (b1·b + b2)·C + c. One strided view of the input.
/// </summary>
public sealed class SpaceToDepth : OpDefinition
{
    public override string Name => "SpaceToDepth";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("blocksize", AttributeKind.Int, required: true)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        SpatialBlocks.InferTypes(context, (d, b) => Shape.Of(
            d[0],
            SpatialBlocks.Multiply(d[1], (long)b * b),
            SpatialBlocks.Divide(d[2], b, "the height", "blocksize"),
            SpatialBlocks.Divide(d[3], b, "the width", "blocksize")));

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        SpatialBlocks.Require4D(context, x.Rank);
        int b = SpatialBlocks.BlockSize(context);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        SpatialBlocks.RequireMultiple(h, b, "the height", "blocksize");
        SpatialBlocks.RequireMultiple(w, b, "the width", "blocksize");
        // Output [N, b1, b2, C, H', W'] read from the input viewed as [N, C, H', b1, W', b2].
        int[] shape = [n, b, b, c, h / b, w / b];
        int[] strides = [c * h * w, w, 1, h * w, b * w, b];
        context.SetOutput(0, StridedCopy.Run(x, 0, shape, strides).Reshape([n, c * b * b, h / b, w / b]));
    }
}
