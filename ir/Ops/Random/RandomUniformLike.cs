namespace Neurite.Ir.Ops;

/// <summary>RandomUniformLike: values drawn uniformly from [low, high) in the input's shape (and, without dtype, its type).</summary>
public sealed class RandomUniformLike : RandomTensorOp
{
    public override string Name => "RandomUniformLike";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("dtype", AttributeKind.Int)
        .Attr("low", 0f)
        .Attr("high", 1f)
        .Attr("seed", AttributeKind.Float)
        .Build();

    protected override bool ShapedLikeInput => true;

    protected override double[] Draw(OpContext context, Random random, int count) =>
        RandomSource.Uniform(random, count, context.Float("low"), context.Float("high"));
}
