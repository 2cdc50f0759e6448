using Neurite.Ir.Kernels.Quantization;
using Xunit;

namespace Neurite.Ir.Tests.Ops.FixedPoint;

/// <summary>
/// neurite.FixedConv against an independent route: the float Conv of the reference interpreter on
/// the real values (exact here: 8-bit by 8-bit products summed over at most 18 terms stay far
/// inside float32's 24-bit significand), then the real result converted to the output type by
/// <see cref="FixedPointConversion.ToRaw"/>, which rounds in floating point rather than by integer
/// shifts. Strided, padded, grouped, with and without bias and ReLU, every rounding mode.
/// </summary>
public sealed class FixedConvTests
{
    private static readonly FixedPointType XType = new(8, 3), WType = new(8, 1), BType = new(8, 2);

    [Theory]
    [InlineData(RoundingMode.Truncate, OverflowMode.Wrap, 1, false)]
    [InlineData(RoundingMode.HalfUp, OverflowMode.Saturate, 1, true)]
    [InlineData(RoundingMode.HalfEven, OverflowMode.SaturateSymmetric, 2, false)]
    [InlineData(RoundingMode.TowardZero, OverflowMode.Wrap, 2, true)]
    public void FixedConvIsTheExactConvolutionCastToItsOutputType(RoundingMode rounding, OverflowMode overflow, int group, bool relu)
    {
        var random = new Random(11 + group);
        var x = RandomRaw(random, XType, 2, 4, 7, 6);
        var w = RandomRaw(random, WType, 4, 4 / group, 3, 3);
        var b = RandomRaw(random, BType, 4);
        // fixed<9,4>: F = 5 drops 7 of the product's 12 fraction bits, and its range (±16) is small enough that some outputs overflow.
        var output = new FixedPointType(9, 4, true, rounding, overflow);
        var conv = new Dictionary<string, AttributeValue>
        {
            ["pads"] = new long[] { 1, 0, 2, 1 }, ["strides"] = new long[] { 2, 1 }, ["group"] = group, ["kernel_shape"] = new long[] { 3, 3 },
        };

        var ours = new GraphBuilder("fixed_conv");
        string xi = ours.Input("x", x.Type);
        var attributes = new Dictionary<string, AttributeValue>(conv)
        {
            ["x_type"] = TypeSyntax.Format(XType), ["w_type"] = TypeSyntax.Format(WType), ["b_type"] = TypeSyntax.Format(BType),
            ["accumulator_type"] = "fixed<32,20>",   // F = 5 + 7 = 12
            ["output_type"] = TypeSyntax.Format(output), ["relu"] = relu ? 1L : 0L,
        };
        ours.Output(ours.Node("FixedConv", [xi, ours.Initializer("w", w), ours.Initializer("b", b)], attributes, domain: OpDomains.Neurite));
        var actual = FixedPointTensors.Raw(Run(ours, x));

        var reference = new GraphBuilder("float_conv");
        string xr = reference.Input("x", new TensorType(ElementType.Float32, Shape.Of(x.Shape.ToArray())));
        reference.Output(reference.Node("Conv", [xr, reference.Initializer("w", Real(w)), reference.Initializer("b", Real(b))], conv));
        var real = Run(reference, Real(x)).Span<float>();

        var expected = new long[real.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = FixedPointConversion.ToRaw(relu ? Math.Max(real[i], 0) : real[i], output);
        }
        Assert.Equal(expected, actual);
        // The case exercises what it claims: ties or remainders to round, and results past the range.
        Assert.Contains(real.ToArray(), v => Math.ScaleB((double)v, 5) % 1 != 0);
        Assert.Contains(real.ToArray(), v => !FixedPointConversion.Fits(relu ? Math.Max(v, 0) : v, output));
    }

    private static Tensor Run(GraphBuilder builder, Tensor x)
    {
        var model = new Model(builder.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
        return (Tensor)new Interpreter(model).Run(("x", (IValue)x)).Values.Single();
    }

    private static Tensor RandomRaw(Random random, FixedPointType type, params int[] shape) =>
        FixedPointTensors.FromRaw(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(_ => (long)random.Next((int)type.MinRaw, (int)type.MaxRaw + 1)).ToArray(), type, shape);

    private static Tensor Real(Tensor raw)
    {
        var type = (FixedPointType)raw.ElementType;
        return Tensor.Create(FixedPointTensors.Raw(raw).Select(r => (float)FixedPointConversion.ToReal(r, type)).ToArray(), raw.ShapeArray());
    }
}
