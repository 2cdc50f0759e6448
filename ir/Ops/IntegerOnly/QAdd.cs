using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Integer-only addition of two quantised tensors with different scales (a residual connection),
/// TFLite's scheme: both inputs are centred, widened by 2^h (h = <see cref="Headroom"/>: 20 for
/// 8-bit inputs, 15 for 16-bit), brought to a common scale by their
/// own multipliers, added, and the sum requantised to the output:
/// <code>
///   a' = a_multiplier ⊗ ((a - a_zero_point) · 2^h)      b' likewise
///   y  = clamp(y_zero_point + y_multiplier ⊗ (a' + b'), output_min, output_max)
/// </code>
/// with ⊗ the fixed-point product of <see cref="FixedPointMultiplier"/>; a and b broadcast.
/// </summary>
public sealed class QAdd : OpDefinition
{
    public override string Name => "QAdd";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("a").Input("b").Output("y")
        .Attr("a_zero_point", 0L).Attr("b_zero_point", 0L).Attr("y_zero_point", 0L)
        .Attr("a_multiplier", AttributeKind.Ints, required: true)
        .Attr("b_multiplier", AttributeKind.Ints, required: true)
        .Attr("y_multiplier", AttributeKind.Ints, required: true)
        .Attr("output_bits", 8L)
        .Attr("output_signed", 1L)
        .Attr("output_min", AttributeKind.Int)
        .Attr("output_max", AttributeKind.Int)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var storage = IntegerLayerAttributes.OutputStorage(context);
        if (context.InputTensorType(0) is not { } a || context.InputTensorType(1) is not { } b)
        {
            return [TypeRules.UnknownShape(storage)];
        }
        return [new TensorType(storage, Broadcasting.Shape(a.Shape, b.Shape))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var ma = Multiplier(context, "a_multiplier");
        var mb = Multiplier(context, "b_multiplier");
        var my = Multiplier(context, "y_multiplier");
        var (zero, min, max) = IntegerLayerAttributes.Range(context);
        int za = (int)context.Int("a_zero_point"), zb = (int)context.Int("b_zero_point");

        var shape = Broadcasting.Shape(a.ShapeArray(), b.ShapeArray());
        var sum = Elementwise.Binary<int, int, Sum<int>>(
            Rescaled(a, za, ma), Rescaled(b, zb, mb));
        var total = sum.Span<int>();
        var y = new int[total.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (int)Math.Clamp((long)zero + my.Apply(total[i]), min, max);
        }
        context.SetOutput(0, IntegerRequantization.Narrow(y, shape, IntegerLayerAttributes.OutputStorage(context)));
    }

    /// <summary>How far inputs of <paramref name="bits"/> bits are widened before rescaling: as far as int32 allows.</summary>
    public static int Headroom(int bits) => bits <= 8 ? 20 : 15;

    private static Tensor Rescaled(Tensor x, int zeroPoint, FixedPointMultiplier multiplier)
    {
        var values = IntegerValues.ToInt32(x, zeroPoint);
        int headroom = Headroom(x.DataType.ByteSize() * 8);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = multiplier.Apply(values[i] << headroom);
        }
        return Tensor.Create(values, x.ShapeArray());
    }

    private static FixedPointMultiplier Multiplier(OpContext context, string name)
    {
        var pair = context.Ints(name)!;
        return pair.Length == 2 && pair[0] is >= 0 and <= int.MaxValue && pair[1] is >= -31 and <= 30
            ? new FixedPointMultiplier((int)pair[0], (int)pair[1])
            : throw new InvalidNodeException($"{name} must be [mantissa, shift] with a Q0.31 mantissa and a shift in [-31, 30], got [{string.Join(", ", pair)}]");
    }
}
