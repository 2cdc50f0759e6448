namespace Neurite.Ir.Ops;

/// <summary>RandomUniform: a tensor of the "shape" attribute drawn uniformly from [low, high).</summary>
public sealed class RandomUniform : RandomTensorOp
{
    public override string Name => "RandomUniform";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Output("output")
        .Attr("dtype", 1L)
        .Attr("low", 0f)
        .Attr("high", 1f)
        .Attr("seed", AttributeKind.Float)
        .Attr("shape", AttributeKind.Ints, required: true)
        .Build();

    protected override bool ShapedLikeInput => false;

    protected override double[] Draw(OpContext context, Random random, int count) =>
        RandomSource.Uniform(random, count, context.Float("low"), context.Float("high"));
}
