namespace Neurite.Ir.Ops;

/// <summary>RandomNormal: a tensor of the "shape" attribute drawn from N(mean, scale²).</summary>
public sealed class RandomNormal : OpDefinition
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

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        [new TensorType(OnnxTypeCodes.RequireNumeric(context.Int("dtype"), "dtype", allowBool: true), Shape.Of(RandomSource.ShapeAttribute(context)))];

    public override void Evaluate(EvaluationContext context)
    {
        var shape = RandomSource.ShapeAttribute(context);
        var values = RandomSource.Normal(RandomSource.For(context), Tensor.ElementCountOf(shape), context.Float("mean"), context.Float("scale"));
        context.SetOutput(0, RandomSource.ToTensor(values, shape, OnnxTypeCodes.RequireNumeric(context.Int("dtype"), "dtype", allowBool: true)));
    }
}
