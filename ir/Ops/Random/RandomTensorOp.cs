namespace Neurite.Ir.Ops;

/// <summary>
/// What RandomNormal, RandomUniform and their *Like forms share; they differ only in the
/// distribution they <see cref="Draw"/> from. The plain ops make a tensor of the "shape"
/// attribute in dtype's type (float by default); the *Like ops take their input's shape and,
/// without dtype, its element type.
/// </summary>
public abstract class RandomTensorOp : OpDefinition
{
    /// <summary>True for the *Like ops, whose output is shaped (and by default typed) like their input.</summary>
    protected abstract bool ShapedLikeInput { get; }

    /// <summary><paramref name="count"/> values from the distribution the node's attributes describe.</summary>
    protected abstract double[] Draw(OpContext context, Random random, int count);

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => ShapedLikeInput
        ? [RandomOutput.LikeInput(context)]
        : [new TensorType(RandomOutput.DType(context), Shape.Of(RandomOutput.ShapeAttribute(context)))];

    public override void Evaluate(EvaluationContext context)
    {
        int[] shape;
        ElementType type;
        if (ShapedLikeInput)
        {
            var input = context.Input(0);
            shape = input.ShapeArray();
            type = RandomOutput.DTypeOr(context, input.ElementType);
        }
        else
        {
            shape = RandomOutput.ShapeAttribute(context);
            type = RandomOutput.DType(context);
        }
        var values = Draw(context, RandomSource.For(context), Tensor.ElementCountOf(shape));
        context.SetOutput(0, RandomOutput.ToTensor(values, shape, type));
    }
}
