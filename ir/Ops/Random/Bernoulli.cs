namespace Neurite.Ir.Ops;

/// <summary>Bernoulli: 1 with the probability each input element gives, else 0; in dtype's type or the input's.</summary>
public sealed class Bernoulli : OpDefinition
{
    public override string Name => "Bernoulli";

    public override int SinceVersion => 15;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("dtype", AttributeKind.Int)
        .Attr("seed", AttributeKind.Float)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context);
        return [RandomOutput.LikeInput(context)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        var random = RandomSource.For(context);
        var values = new double[input.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() < input.GetDouble(i) ? 1.0 : 0.0;
        }
        context.SetOutput(0, RandomOutput.ToTensor(values, input.Shape, RandomOutput.DTypeOr(context, input.ElementType)));
    }
}
