using Neurite.Ir.Kernels.Quantization;
using Xunit;

namespace Neurite.Ir.Tests.Ops.FixedPoint;

/// <summary>neurite.FixedAdd, ToFixed and FromFixed on values worked out by hand.</summary>
public sealed class FixedAddAndConversionTests
{
    [Theory]
    // a: fixed<8,3> (F = 5) raw [40, -17, 100] = [1.25, -0.53125, 3.125]
    // b: fixed<6,4> (F = 2) raw [3, -5, 30] broadcast as [1, 3]  = [0.75, -1.25, 7.5]
    // aligned to F = 5: b · 8 = [24, -40, 240]; exact sums [64, -57, 340] = [2.0, -1.78125, 10.625]
    // into fixed<6,3> (F = 3, raw -32..31): drop 2 bits (÷4): [16, -14.25, 85]
    //   trn,wrap: [16, floor -15, 85 - 64 = 21];    rnd,sat: [16, -14 (−14.25 + 0.5 floors to −14), 31]
    [InlineData("fixed<6,3>", false, new long[] { 16, -15, 21 })]
    [InlineData("fixed<6,3,rnd,sat>", false, new long[] { 16, -14, 31 })]
    // with the fused ReLU: -57 → 0, so [16, 0, 31] under rnd,sat
    [InlineData("fixed<6,3,rnd,sat>", true, new long[] { 16, 0, 31 })]
    public void FixedAddAlignsBothBinaryPointsAndCastsTheExactSum(string output, bool relu, long[] expected)
    {
        var aType = new FixedPointType(8, 3);
        var bType = new FixedPointType(6, 4);
        var builder = new GraphBuilder("fixed_add");
        string a = builder.Input("a", new TensorType(aType, Shape.Of([3])));
        string b = builder.Input("b", new TensorType(bType, Shape.Of([1, 3])));
        builder.Output(builder.Node("FixedAdd", [a, b], new()
        {
            ["a_type"] = "fixed<8,3>", ["b_type"] = "fixed<6,4>", ["output_type"] = output, ["relu"] = relu ? 1L : 0L,
        }, domain: OpDomains.Neurite));
        var model = new Model(builder.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
        var y = (Tensor)new Interpreter(model).Run(("a", (IValue)FixedPointTensors.FromRaw([40, -17, 100], aType, [3])),
            ("b", FixedPointTensors.FromRaw([3, -5, 30], bType, [1, 3]))).Values.Single();
        Assert.Equal([1, 3], y.ShapeArray());
        Assert.Equal(expected, FixedPointTensors.Raw(y));
    }

    [Theory]
    // fixed<8,3>: raw = x · 32, then the modes. 0.515625·32 = 16.5; -0.515625·32 = -16.5; 5.0·32 = 160 (> 127); -1/64·32 = -0.5
    [InlineData("fixed<8,3>", new long[] { 16, -17, 160 - 256, -1 })]
    [InlineData("fixed<8,3,rnd,sat>", new long[] { 17, -16, 127, 0 })]
    [InlineData("fixed<8,3,rnd_conv,sat_sym>", new long[] { 16, -16, 127, 0 })]
    [InlineData("fixed<8,3,trn_zero,sat>", new long[] { 16, -16, 127, 0 })]
    public void ToFixedRoundsAndFitsAndFromFixedReadsTheRealsBack(string type, long[] expected)
    {
        var builder = new GraphBuilder("conversion");
        string x = builder.Input("x", new TensorType(ElementType.Float32, Shape.Of([4])));
        string raw = builder.Node("ToFixed", [x], new() { ["output_type"] = type }, domain: OpDomains.Neurite);
        builder.Output(raw);
        string real = builder.Node("FromFixed", [raw], new() { ["input_type"] = type }, domain: OpDomains.Neurite);
        builder.Output(real);
        var model = new Model(builder.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
        var outputs = new Interpreter(model).Run(("x", (IValue)Tensor.Create([0.515625f, -0.515625f, 5f, -1f / 64], 4)));
        var fixedPoint = (Tensor)outputs[raw];
        Assert.Equal(expected, FixedPointTensors.Raw(fixedPoint));
        Assert.Equal(type, fixedPoint.ElementType.ToString());
        Assert.Equal(expected.Select(r => r / 32f).ToArray(), ((Tensor)outputs[real]).Span<float>().ToArray());
    }
}
