using Xunit;

namespace Neurite.Ir.Tests.Ops.Quantization;

/// <summary>
/// The integer ops on cases the ONNX conformance data does not cover (per-channel weights,
/// groups, strides, dilations, asymmetric pads, batched and per-column products, broadcasting
/// QLinearAdd), against ONNX Runtime: all of them must agree exactly.
/// </summary>
public sealed class IntegerOpsTests
{
    private static readonly Random Random = new(11);

    private static Tensor U8(params int[] shape)
    {
        var data = new byte[Tensor.ElementCountOf(shape)];
        Random.NextBytes(data);
        return Tensor.Create(data, shape);
    }

    private static Tensor I8(params int[] shape) =>
        Tensor.Create(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(_ => (sbyte)Random.Next(-128, 128)).ToArray(), shape);

    private static Tensor Scalar(float value) => Tensor.Create([value]).Reshape([]);
    private static Tensor Scalar(byte value) => Tensor.Create([value]).Reshape([]);

    private static readonly Dictionary<string, int> Opset13 = new() { [""] = 13 };

    [Fact]
    public void QLinearConvWithPerChannelWeightsGroupsStridesDilationsAndBias()
    {
        var b = new GraphBuilder("qconv");
        var x = b.Input("x", new TensorType(ElementType.UInt8, Shape.Of(2, 4, 9, 11)));
        var channelScales = Enumerable.Range(0, 6).Select(i => 0.002f + 0.001f * i).ToArray();
        var bias = Enumerable.Range(0, 6).Select(i => (i - 3) * 700).ToArray();
        b.Output(b.Node("QLinearConv",
            [x, b.Initializer("xs", Scalar(0.02f)), b.Initializer("xz", Scalar((byte)120)),
             b.Initializer("w", I8(6, 2, 3, 3)), b.Initializer("ws", Tensor.Create(channelScales, 6)), b.Initializer("wz", Tensor.Create(new sbyte[6], 6)),
             b.Initializer("ys", Scalar(0.05f)), b.Initializer("yz", Scalar((byte)100)), b.Initializer("b", Tensor.Create(bias, 6))],
            attributes: new() { ["group"] = 2, ["pads"] = new long[] { 1, 0, 2, 1 }, ["strides"] = new long[] { 2, 1 }, ["dilations"] = new long[] { 1, 2 } }));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13, new Dictionary<string, Tensor> { ["x"] = U8(2, 4, 9, 11) }, rtol: 0, atol: 0);
    }

    [Fact]
    public void QLinearConvDepthwiseSameUpper()
    {
        var b = new GraphBuilder("depthwise");
        var x = b.Input("x", new TensorType(ElementType.UInt8, Shape.Of(1, 8, 14, 14)));
        b.Output(b.Node("QLinearConv",
            [x, b.Initializer("xs", Scalar(0.02f)), b.Initializer("xz", Scalar((byte)128)),
             b.Initializer("w", U8(8, 1, 3, 3)), b.Initializer("ws", Scalar(0.003f)), b.Initializer("wz", Scalar((byte)127)),
             b.Initializer("ys", Scalar(0.04f)), b.Initializer("yz", Scalar((byte)128))],
            attributes: new() { ["group"] = 8, ["auto_pad"] = "SAME_UPPER", ["strides"] = new long[] { 2, 2 } }));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13, new Dictionary<string, Tensor> { ["x"] = U8(1, 8, 14, 14) }, rtol: 0, atol: 0);
    }

    [Fact]
    public void QLinearMatMulBatchedWithPerColumnWeights()
    {
        var b = new GraphBuilder("qmatmul");
        var a = b.Input("a", new TensorType(ElementType.UInt8, Shape.Of(2, 5, 40)));
        var scales = Enumerable.Range(0, 37).Select(i => 0.001f + 0.0003f * i).ToArray();
        b.Output(b.Node("QLinearMatMul",
            [a, b.Initializer("as", Scalar(0.02f)), b.Initializer("az", Scalar((byte)130)),
             b.Initializer("w", I8(40, 37)), b.Initializer("ws", Tensor.Create(scales, 37)), b.Initializer("wz", Tensor.Create(new sbyte[37], 37)),
             b.Initializer("ys", Scalar(0.01f)), b.Initializer("yz", Scalar((byte)90))], attributes: null));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13, new Dictionary<string, Tensor> { ["a"] = U8(2, 5, 40) }, rtol: 0, atol: 0);
    }

    [Fact]
    public void MatMulIntegerWithPerColumnZeroPoints()
    {
        var b = new GraphBuilder("matmulinteger");
        var a = b.Input("a", new TensorType(ElementType.UInt8, Shape.Of(3, 4, 20)));
        var w = b.Input("w", new TensorType(ElementType.UInt8, Shape.Of(20, 18)));
        var wz = b.Input("wz", new TensorType(ElementType.UInt8, Shape.Of(18)));
        b.Output(b.Node("MatMulInteger", [a, w, b.Initializer("az", Scalar((byte)3)), wz], attributes: null));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13,
            new Dictionary<string, Tensor> { ["a"] = U8(3, 4, 20), ["w"] = U8(20, 18), ["wz"] = U8(18) }, rtol: 0, atol: 0);
    }

    [Theory]
    [InlineData(2, "[1,1,0,2]", "[1,2]", "[1,1]")]
    [InlineData(1, "[0,0,0,0]", "[1,1]", "[2,1]")]
    public void ConvIntegerWithGroupsAndPadding(int group, string pads, string strides, string dilations)
    {
        static long[] Ints(string text) => text.Trim('[', ']').Split(',').Select(long.Parse).ToArray();
        var b = new GraphBuilder("convinteger");
        var x = b.Input("x", new TensorType(ElementType.UInt8, Shape.Of(2, 4, 9, 8)));
        var w = b.Input("w", new TensorType(ElementType.UInt8, Shape.Of(4, 4 / group, 2, 3)));
        b.Output(b.Node("ConvInteger", [x, w, b.Initializer("xz", Scalar((byte)17)), b.Initializer("wz", Scalar((byte)9))],
            attributes: new() { ["group"] = group, ["pads"] = Ints(pads), ["strides"] = Ints(strides), ["dilations"] = Ints(dilations) }));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13,
            new Dictionary<string, Tensor> { ["x"] = U8(2, 4, 9, 8), ["w"] = U8(4, 4 / group, 2, 3) }, rtol: 0, atol: 0);
    }

    [Fact]
    public void QLinearAddBroadcasts()
    {
        var b = new GraphBuilder("qladd");
        var a = b.Input("a", new TensorType(ElementType.UInt8, Shape.Of(2, 3, 40)));
        var c = b.Input("c", new TensorType(ElementType.UInt8, Shape.Of(3, 1)));
        b.Output(b.Node("QLinearAdd",
            [a, b.Initializer("as", Scalar(0.031f)), b.Initializer("az", Scalar((byte)130)),
             c, b.Initializer("bs", Scalar(0.017f)), b.Initializer("bz", Scalar((byte)111)),
             b.Initializer("cs", Scalar(0.043f)), b.Initializer("cz", Scalar((byte)120))], domain: OpDomains.Microsoft));
        OnnxRuntimeComparison.AssertSame(b.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Microsoft] = 1 },
            new Dictionary<string, Tensor> { ["a"] = U8(2, 3, 40), ["c"] = U8(3, 1) }, rtol: 0, atol: 0);
    }

    /// <summary>The float just above 5/6: times 3 it is 2.50000012, but 2.5 when the product is formed in float32.</summary>
    private static readonly float NearTieScale = BitConverter.Int32BitsToSingle(0x3F555556);

    /// <summary>
    /// acc = 3 with multiplier <see cref="NearTieScale"/>: ONNX's float64 reference rounds 2.50000012
    /// to 3, ONNX Runtime's float32 product is 2.5 and rounds to 2. 19 outputs cover the vector blocks and the tail.
    /// </summary>
    [Fact]
    public void QLinearMatMulRequantisesANearTieInFloat32()
    {
        var b = new GraphBuilder("qmatmul_tie");
        var a = b.Input("a", new TensorType(ElementType.UInt8, Shape.Of(1, 1)));
        b.Output(b.Node("QLinearMatMul",
            [a, b.Initializer("as", Scalar(1f)), b.Initializer("az", Scalar((byte)10)),
             b.Initializer("w", Tensor.Create(Enumerable.Repeat((sbyte)1, 19).ToArray(), 1, 19)),
             b.Initializer("ws", Tensor.Create(Enumerable.Repeat(NearTieScale, 19).ToArray(), 19)), b.Initializer("wz", Tensor.Create(new sbyte[19], 19)),
             b.Initializer("ys", Scalar(1f)), b.Initializer("yz", Scalar((byte)100))], attributes: null, outputName: "y"));
        var feeds = new Dictionary<string, Tensor> { ["a"] = Tensor.Create(new byte[] { 13 }, 1, 1) };
        var y = (Tensor)new Interpreter(b.Build(), Opset13).Run(feeds.ToDictionary(f => f.Key, f => (IValue)f.Value))["y"];
        Assert.All(y.ToArray<byte>(), value => Assert.Equal(102, value));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13, feeds, rtol: 0, atol: 0);
    }

    /// <summary>The same near-tie through QLinearConv's per-channel rows: a 1×1 convolution over 19 positions.</summary>
    [Fact]
    public void QLinearConvRequantisesANearTieInFloat32()
    {
        var b = new GraphBuilder("qconv_tie");
        var x = b.Input("x", new TensorType(ElementType.UInt8, Shape.Of(1, 1, 1, 19)));
        b.Output(b.Node("QLinearConv",
            [x, b.Initializer("xs", Scalar(1f)), b.Initializer("xz", Scalar((byte)10)),
             b.Initializer("w", Tensor.Create(new byte[] { 1 }, 1, 1, 1, 1)), b.Initializer("ws", Scalar(NearTieScale)), b.Initializer("wz", Scalar((byte)0)),
             b.Initializer("ys", Scalar(1f)), b.Initializer("yz", Scalar((byte)100))], attributes: null, outputName: "y"));
        var feeds = new Dictionary<string, Tensor> { ["x"] = Tensor.Create(Enumerable.Repeat((byte)13, 19).ToArray(), 1, 1, 1, 19) };
        var y = (Tensor)new Interpreter(b.Build(), Opset13).Run(feeds.ToDictionary(f => f.Key, f => (IValue)f.Value))["y"];
        Assert.All(y.ToArray<byte>(), value => Assert.Equal(102, value));
        OnnxRuntimeComparison.AssertSame(b.Build(), Opset13, feeds, rtol: 0, atol: 0);
    }
}
