using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Fixed-point addition of two tensors of different fixed-point types (a residual connection,
/// hls4ml's Add merge layer): a and b (raw <c>a_type</c>, <c>b_type</c>, broadcasting) are aligned
/// to the finer of their two binary points, added exactly, and the sum is cast to <c>output_type</c>:
/// <code>
///   s = a · 2^(F - Fa) + b · 2^(F - Fb)         F = max(Fa, Fb), exact
///   y = cast_output(relu ? max(s, 0) : s)
/// </code>
/// The exact sum must fit in 64 bits (it needs max(Ia, Ib) + 1 + F).
/// </summary>
public sealed class FixedAdd : OpDefinition
{
    public override string Name => "FixedAdd";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("a").Input("b").Output("y")
        .Attr("a_type", AttributeKind.String, required: true)
        .Attr("b_type", AttributeKind.String, required: true)
        .Attr("output_type", AttributeKind.String, required: true)
        .Attr("relu", 0L)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var (a, b, output) = Types(context);
        FixedPointAttributes.CheckInput(context, 0, a, "a_type");
        FixedPointAttributes.CheckInput(context, 1, b, "b_type");
        if (context.InputTensorType(0) is not { } at || context.InputTensorType(1) is not { } bt)
        {
            return [TypeRules.UnknownShape(output)];
        }
        return [new TensorType(output, Broadcasting.Shape(at.Shape, bt.Shape))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var (aType, bType, output) = Types(context);
        int fraction = Math.Max(aType.FractionBits, bType.FractionBits);
        var a = Aligned(context.Input(0), fraction - aType.FractionBits);
        var b = Aligned(context.Input(1), fraction - bType.FractionBits);
        var sum = Elementwise.Binary<long, long, Sum<long>>(a, b).AsArray<long>();
        bool relu = context.Int("relu") != 0;
        var y = new long[sum.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = FixedPointConversion.Convert(relu && sum[i] < 0 ? 0 : sum[i], fraction, output);
        }
        context.SetOutput(0, FixedPointTensors.FromRaw(y, output, Broadcasting.Shape(context.Input(0).Shape, context.Input(1).Shape)));
    }

    private static (FixedPointType A, FixedPointType B, FixedPointType Output) Types(OpContext context)
    {
        var a = FixedPointAttributes.Type(context, "a_type");
        var b = FixedPointAttributes.Type(context, "b_type");
        int fraction = Math.Max(a.FractionBits, b.FractionBits);
        int bits = Math.Max(a.Width - a.FractionBits, b.Width - b.FractionBits) + 1 + fraction;
        if (bits > 64)
        {
            throw new InvalidNodeException($"the exact sum of {a} and {b} needs {bits} bits; at most 64 are supported");
        }
        return (a, b, FixedPointAttributes.Type(context, "output_type"));
    }

    private static Tensor Aligned(Tensor x, int shift)
    {
        var raw = FixedPointTensors.Raw(x);
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] <<= shift;
        }
        return Tensor.Create(raw, x.ShapeArray());
    }
}
