using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// DepthToSpace: moves channel blocks into blocksize x blocksize spatial tiles, [N, C, H, W] to
/// [N, C / b², H·b, W·b]. Mode DCR (default) reads channels as (b, b, C'), CRD (opset 11) as (C', b, b).
/// Both are one strided view of the input.
/// </summary>
public sealed class DepthToSpace : OpDefinition
{
    public override string Name => "DepthToSpace";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("blocksize", AttributeKind.Int, required: true)
        .Attr("mode", "DCR")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        _ = IsCrd(context); // an unknown mode makes the node invalid whatever the shapes
        return SpatialBlocks.InferTypes(context, (d, b) => Shape.Of(
            d[0],
            SpatialBlocks.Divide(d[1], (long)b * b, "the channel count", "blocksize²"),
            SpatialBlocks.Multiply(d[2], b),
            SpatialBlocks.Multiply(d[3], b)));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        SpatialBlocks.Require4D(context, x.Rank);
        int b = SpatialBlocks.BlockSize(context);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        SpatialBlocks.RequireMultiple(c, (long)b * b, "the channel count", "blocksize²");
        int depth = (int)(c / ((long)b * b));
        int plane = h * w;
        // Strides of the channel split (b1, b2, C') for DCR or (C', b1, b2) for CRD.
        bool crd = IsCrd(context);
        int strideDepth = crd ? b * b * plane : plane;
        int strideB1 = crd ? b * plane : b * depth * plane;
        int strideB2 = crd ? plane : depth * plane;
        // Output [N, C', H, b1, W, b2].
        int[] shape = [n, depth, h, b, w, b];
        int[] strides = [c * plane, strideDepth, w, strideB1, 1, strideB2];
        context.SetOutput(0, StridedCopy.Run(x, 0, shape, strides).Reshape([n, depth, h * b, w * b]));
    }

    private static bool IsCrd(OpContext context) => context.String("mode") switch
    {
        "DCR" => false,
        "CRD" => true,
        var other => throw new InvalidNodeException($"mode '{other}' is not DCR or CRD"),
    };
}
