namespace Neurite.Ir.Ops;

/// <summary>RandomNormal: a tensor of the "shape" attribute drawn from N(mean, scale²).</summary>
public sealed class RandomNormal : RandomTensorOp
{
    public override string Name => "RandomNormal";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Output("output")
        .Attr("dtype", 1L)
        .Attr("mean", 0f)
        .Attr("scale", 1f)
        .Attr("seed", AttributeKind.Float)
        .Attr("shape", AttributeKind.Ints, required: true)
        .Build();

    protected override bool ShapedLikeInput => false;

    protected override double[] Draw(OpContext context, Random random, int count) =>
        RandomSource.Normal(random, count, context.Float("mean"), context.Float("scale"));
}
