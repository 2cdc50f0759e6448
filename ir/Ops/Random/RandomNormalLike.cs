namespace Neurite.Ir.Ops;

/// <summary>RandomNormalLike: values drawn from N(mean, scale²) in the input's shape (and, without dtype, its type).</summary>
public sealed class RandomNormalLike : OpDefinition
{
    public override string Name => "RandomNormalLike";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("dtype", AttributeKind.Int)
        .Attr("mean", 0f)
        .Attr("scale", 1f)
        .Attr("seed", AttributeKind.Float)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => [RandomLikeRules.OutputType(context)];

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        var values = RandomSource.Normal(RandomSource.For(context), input.Length, context.Float("mean"), context.Float("scale"));
        context.SetOutput(0, RandomSource.ToTensor(values, input.Shape, RandomSource.DTypeOr(context, input.ElementType)!));
    }
}
