namespace Neurite.Ir.Ops;

/// <summary>RandomNormalLike: values drawn from N(mean, scale²) in the input's shape (and, without dtype, its type).</summary>
public sealed class RandomNormalLike : RandomTensorOp
{
    public override string Name => "RandomNormalLike";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("dtype", AttributeKind.Int)
        .Attr("mean", 0f)
        .Attr("scale", 1f)
        .Attr("seed", AttributeKind.Float)
        .Build();

    protected override bool ShapedLikeInput => true;

    protected override double[] Draw(OpContext context, Random random, int count) =>
        RandomSource.Normal(random, count, context.Float("mean"), context.Float("scale"));
}
