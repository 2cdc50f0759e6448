namespace Neurite.Ir.Ops;

/// <summary>RandomUniform: a tensor of the "shape" attribute drawn uniformly from [low, high).</summary>
public sealed class RandomUniform : OpDefinition
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

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        [new TensorType(OnnxTypeCodes.RequireNumeric(context.Int("dtype"), "dtype", allowBool: true), Shape.Of(RandomSource.ShapeAttribute(context)))];

    public override void Evaluate(EvaluationContext context)
    {
        var shape = RandomSource.ShapeAttribute(context);
        var values = RandomSource.Uniform(RandomSource.For(context), Tensor.ElementCountOf(shape), context.Float("low"), context.Float("high"));
        context.SetOutput(0, RandomSource.ToTensor(values, shape, OnnxTypeCodes.RequireNumeric(context.Int("dtype"), "dtype", allowBool: true)));
    }
}
