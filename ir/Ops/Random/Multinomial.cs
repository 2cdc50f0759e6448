using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>
/// Multinomial: for each row of (batch, classes) unnormalised log-probabilities, sample_size
/// class indices drawn from softmax(row), as int32 (default) or int64.
/// </summary>
public sealed class Multinomial : OpDefinition
{
    public override string Name => "Multinomial";

    public override int SinceVersion => 7;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Output("output")
        .Attr("dtype", 6L)
        .Attr("sample_size", 1L)
        .Attr("seed", AttributeKind.Float)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context);
        var element = OutputElement(context);
        if (context.InputTensorType(0) is not { Shape.IsRankKnown: true } input)
        {
            return [TypeRules.UnknownShape(element)];
        }
        if (input.Shape.Rank != 2)
        {
            throw new InvalidNodeException($"the input must be (batch_size, class_size), got rank {input.Shape.Rank}");
        }
        return [new TensorType(element, Shape.Of(input.Shape[0], Dim.Known(SampleSize(context))))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        if (input.Rank != 2)
        {
            throw new InvalidNodeException($"the input must be (batch_size, class_size), got shape [{string.Join(", ", input.ShapeArray())}]");
        }
        int batch = input.Dim(0), classes = input.Dim(1), samples = SampleSize(context);
        if (classes == 0 && (long)batch * samples > 0)
        {
            throw new InvalidNodeException("the input has no classes to draw from (class_size 0)");
        }
        var logits = TensorConvert.Convert(input, DataType.Float64).Span<double>();
        var probabilities = new double[logits.Length];
        SoftmaxKernel.Normalise<double>(logits, probabilities, new AxisLayout(batch, classes, 1), log: false);
        var random = RandomSource.For(context);
        var drawn = new double[batch * samples];
        for (int b = 0; b < batch; b++)
        {
            var row = probabilities.AsSpan(b * classes, classes);
            for (int s = 0; s < samples; s++)
            {
                drawn[b * samples + s] = Draw(row, random.NextDouble());
            }
        }
        context.SetOutput(0, RandomOutput.ToTensor(drawn, [batch, samples], OutputElement(context)));
    }

    private static int Draw(ReadOnlySpan<double> probabilities, double u)
    {
        double cumulative = 0;
        for (int c = 0; c < probabilities.Length; c++)
        {
            cumulative += probabilities[c];
            if (u < cumulative)
            {
                return c;
            }
        }
        // Rounding may leave the total just under 1: the last class takes the remainder.
        return probabilities.Length - 1;
    }

    private static int SampleSize(OpContext context)
    {
        long size = context.Int("sample_size");
        return size is >= 0 and <= int.MaxValue
            ? (int)size
            : throw new InvalidNodeException($"sample_size must be a count of draws (0 or more), got {size}");
    }

    private static ElementType OutputElement(OpContext context)
    {
        var element = RandomOutput.DType(context);
        return element.Kind is DataType.Int32 or DataType.Int64
            ? element
            : throw new InvalidNodeException($"Multinomial produces int32 or int64 indices, dtype names {element}");
    }
}
