using Neurite.Frontend.Onnx;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Testing;
using Xunit;

namespace Neurite.Ir.Tests.Ops.IntegerOnly;

/// <summary>
/// The integer-only layers against ONNX Runtime's QLinearConv and QLinearMatMul on the same
/// integers and scales: ONNX Runtime requantises in float32 (half to even), ours with a Q0.31
/// multiplier and shift, so an output may differ by one step where the float product
/// lies near a half; never by more.
/// </summary>
public sealed class IntegerLayerTests
{
    private const float XScale = 0.02f, YScale = 0.05f;
    private const int XZero = 7, YZero = -3;
    private static readonly float[] WScales = [0.003f, 0.0045f, 0.0021f, 0.006f];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void QConvMatchesQLinearConvToOneStep(bool fusedRelu)
    {
        var random = new Random(4);
        var x = I8(random, 2, 3, 9, 8);
        var w = I8(random, 4, 3, 3, 3);
        var bias = Tensor.Create(Enumerable.Range(0, 4).Select(i => (i - 2) * 900).ToArray(), 4);
        var conv = new Dictionary<string, AttributeValue> { ["pads"] = new long[] { 1, 0, 1, 2 }, ["strides"] = new long[] { 2, 1 } };

        var ours = new GraphBuilder("qconv");
        string xi = ours.Input("x", x.Type);
        ours.Output(ours.Node("QConv", [xi, ours.Initializer("w", w), ours.Initializer("b", bias)],
            Attributes(conv, fusedRelu), domain: OpDomains.Neurite));
        var actual = (Tensor)new Interpreter(new Model(ours.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 }))
            .Run(("x", (IValue)x)).Values.Single();

        var reference = new GraphBuilder("qlinearconv");
        string xr = reference.Input("x", x.Type);
        string y = reference.Node("QLinearConv",
            [xr, reference.Initializer("xs", Tensor.Scalar(XScale)), reference.Initializer("xz", Tensor.Scalar((sbyte)XZero)),
             reference.Initializer("w", w), reference.Initializer("ws", Tensor.Create(WScales, 4)), reference.Initializer("wz", Tensor.Create(new sbyte[4], 4)),
             reference.Initializer("ys", Tensor.Scalar(YScale)), reference.Initializer("yz", Tensor.Scalar((sbyte)YZero)), reference.Initializer("b", bias)],
            conv);
        reference.Output(y);
        var expected = RunOnnxRuntime(reference, x, fusedRelu);

        AssertWithinOneStep(expected, actual);
    }

    [Fact]
    public void QGemmMatchesQLinearMatMulToOneStep()
    {
        var random = new Random(5);
        var x = I8(random, 64, 16);
        var w = I8(random, 4, 16);

        var ours = new GraphBuilder("qgemm");
        string xi = ours.Input("x", x.Type);
        ours.Output(ours.Node("QGemm", [xi, ours.Initializer("w", w)], Attributes([], fusedRelu: false), domain: OpDomains.Neurite));
        var actual = (Tensor)new Interpreter(new Model(ours.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 }))
            .Run(("x", (IValue)x)).Values.Single();

        // QLinearMatMul wants w as [K, M]; per-column scales.
        var wT = Tensor.Create(MatrixOf(w).Transpose(), 16, 4);
        var reference = new GraphBuilder("qlinearmatmul");
        string xr = reference.Input("x", x.Type);
        reference.Output(reference.Node("QLinearMatMul",
            [xr, reference.Initializer("xs", Tensor.Scalar(XScale)), reference.Initializer("xz", Tensor.Scalar((sbyte)XZero)),
             reference.Initializer("w", wT), reference.Initializer("ws", Tensor.Create(WScales, 4)), reference.Initializer("wz", Tensor.Create(new sbyte[4], 4)),
             reference.Initializer("ys", Tensor.Scalar(YScale)), reference.Initializer("yz", Tensor.Scalar((sbyte)YZero))]));
        AssertWithinOneStep(RunOnnxRuntime(reference, x, fusedRelu: false), actual);
    }

    [Fact]
    public void QAddMatchesComMicrosoftQLinearAddToOneStep()
    {
        // A residual join: two int8 tensors with different scales and zero points, broadcast over the batch.
        var random = new Random(6);
        var a = I8(random, 4, 3, 5, 5);
        var b = I8(random, 1, 3, 5, 5);
        const float aScale = 0.031f, bScale = 0.012f, yScale = 0.04f;
        const int aZero = 5, bZero = -20, yZero = 3, headroom = 20;
        double common = 2 * Math.Max(aScale, bScale);
        long[] Pair(double real) => FixedPointMultiplier.FromReal(real) is var m ? [m.Mantissa, m.Shift] : [];

        var ours = new GraphBuilder("qadd");
        string ai = ours.Input("a", a.Type), bi = ours.Input("b", b.Type);
        ours.Output(ours.Node("QAdd", [ai, bi], new()
        {
            ["a_zero_point"] = aZero, ["b_zero_point"] = bZero, ["y_zero_point"] = yZero,
            ["a_multiplier"] = Pair(aScale / common), ["b_multiplier"] = Pair(bScale / common),
            ["y_multiplier"] = Pair(common / (Math.ScaleB(1.0, headroom) * yScale)),
        }, domain: OpDomains.Neurite));
        var actual = (Tensor)new Interpreter(new Model(ours.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 }))
            .Run(("a", (IValue)a), ("b", b)).Values.Single();

        var reference = new GraphBuilder("qlinearadd");
        string ar = reference.Input("a", a.Type), br = reference.Input("b", b.Type);
        reference.Output(reference.Node("QLinearAdd",
            [ar, reference.Initializer("as", Tensor.Scalar(aScale)), reference.Initializer("az", Tensor.Scalar((sbyte)aZero)),
             br, reference.Initializer("bs", Tensor.Scalar(bScale)), reference.Initializer("bz", Tensor.Scalar((sbyte)bZero)),
             reference.Initializer("ys", Tensor.Scalar(yScale)), reference.Initializer("yz", Tensor.Scalar((sbyte)yZero))],
            domain: OpDomains.Microsoft));
        var model = new Model(reference.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Microsoft] = 1 });
        using var session = new OnnxRuntimeReference(OnnxExporter.ToBytes(model));
        var expected = session.Run(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }).Values.Single();
        AssertWithinOneStep(expected, actual);
    }

    private static Dictionary<string, AttributeValue> Attributes(Dictionary<string, AttributeValue> layer, bool fusedRelu)
    {
        var multipliers = WScales.Select(ws => FixedPointMultiplier.FromReal((double)XScale * ws / YScale)).ToArray();
        var attributes = new Dictionary<string, AttributeValue>(layer)
        {
            ["x_zero_point"] = XZero,
            ["y_zero_point"] = YZero,
            ["multipliers"] = multipliers.Select(m => (long)m.Mantissa).ToArray(),
            ["shifts"] = multipliers.Select(m => (long)m.Shift).ToArray(),
        };
        if (fusedRelu)
        {
            attributes["output_min"] = YZero;   // real 0
        }
        return attributes;
    }

    private static Tensor RunOnnxRuntime(GraphBuilder graph, Tensor x, bool fusedRelu)
    {
        var model = new Model(graph.Build(), new Dictionary<string, int> { [""] = 13 });
        using var session = new OnnxRuntimeReference(OnnxExporter.ToBytes(model));
        var y = session.Run(new Dictionary<string, Tensor> { ["x"] = x }).Values.Single();
        // A ReLU after a quantised layer clamps at the zero point: apply it to the reference's integers.
        return fusedRelu ? Tensor.Create(y.Span<sbyte>().ToArray().Select(v => (sbyte)Math.Max((int)v, YZero)).ToArray(), y.ShapeArray()) : y;
    }

    private static void AssertWithinOneStep(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
        var e = expected.Span<sbyte>();
        var a = actual.Span<sbyte>();
        int differing = 0;
        for (int i = 0; i < e.Length; i++)
        {
            Assert.InRange(a[i] - e[i], -1, 1);
            differing += a[i] != e[i] ? 1 : 0;
        }
        int saturated = e.ToArray().Count(v => v is sbyte.MinValue or sbyte.MaxValue);
        Assert.True(saturated < e.Length / 10, $"{saturated} of {e.Length} outputs saturate: the case tests the clamp, not the arithmetic");
        Assert.True(differing < e.Length / 10, $"{differing} of {e.Length} outputs differ by a step");
    }

    private static Tensor I8(Random random, params int[] shape) =>
        Tensor.Create(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(_ => (sbyte)random.Next(-128, 128)).ToArray(), shape);

    private static sbyte[,] MatrixOf(Tensor w)
    {
        var m = new sbyte[w.Dim(0), w.Dim(1)];
        var span = w.Span<sbyte>();
        for (int i = 0; i < w.Dim(0); i++)
        {
            for (int j = 0; j < w.Dim(1); j++)
            {
                m[i, j] = span[i * w.Dim(1) + j];
            }
        }
        return m;
    }
}

internal static class MatrixExtensions
{
    public static sbyte[] Transpose(this sbyte[,] m)
    {
        int rows = m.GetLength(0), columns = m.GetLength(1);
        var result = new sbyte[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                result[j * rows + i] = m[i, j];
            }
        }
        return result;
    }
}
