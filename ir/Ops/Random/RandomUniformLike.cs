namespace Neurite.Ir.Ops;

/// <summary>RandomUniformLike: values drawn uniformly from [low, high) in the input's shape (and, without dtype, its type).</summary>
public sealed class RandomUniformLike : OpDefinition
{
    public override string Name => "RandomUniformLike";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("dtype", AttributeKind.Int)
        .Attr("low", 0f)
        .Attr("high", 1f)
        .Attr("seed", AttributeKind.Float)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => [RandomLikeRules.OutputType(context)];

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        var values = RandomSource.Uniform(RandomSource.For(context), input.Length, context.Float("low"), context.Float("high"));
        context.SetOutput(0, RandomSource.ToTensor(values, input.Shape, RandomSource.DTypeOr(context, input.ElementType)!));
    }
}
