using Xunit;

namespace Neurite.Ir.Tests.Ops.FixedPoint;

/// <summary>
/// neurite.FixedGemm on a 2×2 layer whose every raw integer is worked out by hand below: the
/// products, the accumulator, the shift to the output's binary point, each rounding mode, each
/// overflow mode (a wrap that wraps, saturations that saturate), the accumulator's own wrap and
/// saturation, per-product rounding into a narrow accumulator, and the fused ReLU.
/// </summary>
public sealed class FixedGemmTests
{
    // x: fixed<8,3> (F = 5, one LSB = 1/32), two rows:
    //   x0 = [48, -23]  = [1.5, -0.71875]
    //   x1 = [100, 7]   = [3.125, 0.21875]
    // w: fixed<8,2> (F = 6, LSB 1/64), one row per output:
    //   w0 = [32, 96]   = [0.5, 1.5]
    //   w1 = [-64, 32]  = [-1.0, 0.5]
    // b: fixed<8,3> (F = 5): [8, -16] = [0.25, -0.5]; in the accumulator's F = 11 that is [8·64, -16·64] = [512, -1024].
    //
    // Products have F = 5 + 6 = 11. The exact accumulators (raw, F = 11):
    //   acc00 = 48·32  + (-23)·96 + 512    = 1536 - 2208 + 512   =  -160   (real -0.078125)
    //   acc01 = 48·-64 + (-23)·32 - 1024   = -3072 - 736 - 1024  = -4832   (real -2.359375)
    //   acc10 = 100·32 + 7·96 + 512        = 3200 + 672 + 512    =  4384   (real  2.140625)
    //   acc11 = 100·-64 + 7·32 - 1024      = -6400 + 224 - 1024  = -7200   (real -3.515625)
    // The output fixed<8,3> has F = 5: drop 11 - 5 = 6 bits, i.e. divide by 64 (half = 32):
    //   acc00 / 64 =  -2.5    floor  -3 (odd),  remainder 32: a tie
    //   acc01 / 64 = -75.5    floor -76 (even), remainder 32: a tie
    //   acc10 / 64 =  68.5    floor  68 (even), remainder 32: a tie
    //   acc11 / 64 = -112.5   floor -113 (odd), remainder 32: a tie
    private static readonly long[] X = [48, -23, 100, 7];
    private static readonly long[] W = [32, 96, -64, 32];
    private static readonly long[] B = [8, -16];
    private const string ExactAccumulator = "fixed<24,13>";   // F = 11, 24 bits: the exact sums need 14

    [Theory]
    // trn (floor):                              -3,  -76,  68, -113
    [InlineData("trn", new long[] { -3, -76, 68, -113 })]
    // rnd (half up: floor + 1 on a tie):        -2,  -75,  69, -112
    [InlineData("rnd", new long[] { -2, -75, 69, -112 })]
    // rnd_conv (ties to the even neighbour):    -2 (from odd -3), -76 (even), 68 (even), -112 (from odd -113)
    [InlineData("rnd_conv", new long[] { -2, -76, 68, -112 })]
    // trn_zero (toward zero):                   -2,  -75,  68, -112
    [InlineData("trn_zero", new long[] { -2, -75, 68, -112 })]
    public void EveryRoundingModeRoundsTheTiesAsWorkedOut(string rounding, long[] expected)
    {
        Assert.Equal(expected, Run($"fixed<8,3,{rounding},wrap>", ExactAccumulator));
    }

    [Theory]
    // Into fixed<6,1> (F = 5, raw -32..31) after truncation (-3, -76, 68, -113):
    // wrap keeps the low 6 bits: -3 → -3; -76 + 128 = 52 → 52 - 64 = -12; 68 - 64 = 4; -113 + 128 = 15.
    [InlineData("wrap", new long[] { -3, -12, 4, 15 })]
    // sat clamps to [-32, 31].
    [InlineData("sat", new long[] { -3, -32, 31, -32 })]
    // sat_sym clamps to [-31, 31].
    [InlineData("sat_sym", new long[] { -3, -31, 31, -31 })]
    public void EveryOverflowModeFitsTheResultAsWorkedOut(string overflow, long[] expected)
    {
        Assert.Equal(expected, Run($"fixed<6,1,trn,{overflow}>", ExactAccumulator));
    }

    [Fact]
    public void ANarrowWrappingAccumulatorKeepsItsLowBits()
    {
        // fixed<12,1>: F = 11, raw -2048..2047; the sums wrap modulo 4096:
        //   -160 stays; -4832 + 8192 = 3360 → 3360 - 4096 = -736; 4384 - 4096 = 288; -7200 + 8192 = 992.
        // Then trn into fixed<8,3> (÷64, floor): -2.5 → -3; -11.5 → -12; 4.5 → 4; 15.5 → 15.
        Assert.Equal([-3, -12, 4, 15], Run("fixed<8,3>", "fixed<12,1>"));
    }

    [Fact]
    public void ASaturatingAccumulatorClampsAfterEveryAdditionBiasFirst()
    {
        // fixed<12,1,trn,sat>: raw -2048..2047. Every product is cast to the accumulator first (saturating
        // too), then added, bias first, then k = 0, 1, clamping after each addition:
        //   acc00:   512 + 1536 = 2048 → 2047;  product -2208 → -2048;  2047 - 2048 = -1  → -1/64 → floor -1
        //   acc01: product -3072 → -2048;  -1024 - 2048 → -2048;  -2048 - 736 → -2048    → -32
        //   acc10: product 3200 → 2047;    512 + 2047 → 2047;     2047 + 672 → 2047      → 31.98 → 31
        //   acc11: product -6400 → -2048;  -1024 - 2048 → -2048;  -2048 + 224 = -1824    → -28.5 → floor -29
        // (clamping only the exact sums -160 and -7200 would give -3 and -32: the order matters, and is the loop's.)
        Assert.Equal([-1, -32, 31, -29], Run("fixed<8,3>", "fixed<12,1,trn,sat>"));
    }

    [Fact]
    public void TheFusedReluZeroesNegativeAccumulatorsBeforeTheCast()
    {
        // max(acc, 0) = [0, 0, 4384, 0]; 4384/64 = 68.5 → trn 68.
        Assert.Equal([0, 0, 68, 0], Run("fixed<8,3>", ExactAccumulator, relu: true));
    }

    [Theory]
    // x = [5, 3] (F = 5), w = [7, -9] (F = 6): products 35 and -27 at F = 11, no bias.
    // An accumulator with F = 8 takes each product ÷8 with its own rounding mode:
    //   trn: 35/8 = 4.375 → 4, -27/8 = -3.375 → -4; sum 0.      rnd: 4 and -3; sum 1.
    // The output fixed<10,2> also has F = 8, so it is the sum itself (the exact sum 8 would have given 1 with trn too).
    [InlineData("trn", 0)]
    [InlineData("rnd", 1)]
    public void ANarrowerAccumulatorRoundsEveryProduct(string rounding, long expected)
    {
        var y = Evaluate([5, 3], [1, 2], [7, -9], [1, 2], null, "fixed<10,2>", $"fixed<10,2,{rounding},wrap>", relu: false);
        Assert.Equal([expected], y);
    }

    [Fact]
    public void TheOutputCarriesItsFixedPointTypeAndTheInferenceAgrees()
    {
        var model = Model(X, [2, 2], W, [2, 2], B, "fixed<8,3,rnd,sat>", ExactAccumulator, relu: false);
        var types = TypeInference.Run(model);
        Assert.Equal("fixed<8,3,rnd,sat>[2, 2]", types.Types[model.Graph.Outputs[0].Name].ToString());
        var y = (Tensor)new Interpreter(model).Run(("x", (IValue)Raw(X, "fixed<8,3>", [2, 2]))).Values.Single();
        Assert.Equal("fixed<8,3,rnd,sat>", y.ElementType.ToString());
        Assert.Equal(DataType.Int8, y.DataType);
    }

    [Fact]
    public void AnInputDeclaredWithAnotherTypeThanTheNodeSaysIsAnError()
    {
        var builder = new GraphBuilder("g");
        string x = builder.Input("x", TypeSyntax.ParseType("fixed<8,4>[2, 2]"));
        builder.Output(builder.Node("FixedGemm", [x, builder.Initializer("w", Raw(W, "fixed<8,2>", [2, 2]))],
            Attributes("fixed<8,3>", ExactAccumulator, relu: false, withBias: false), domain: OpDomains.Neurite));
        var model = new Model(builder.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
        var error = Assert.Single(GraphVerifier.Verify(model), d => d.Severity == Severity.Error);
        Assert.Contains("input 'x' is fixed<8,4> but x_type says fixed<8,3>", error.Message);
    }

    private static long[] Run(string output, string accumulator, bool relu = false) =>
        Evaluate(X, [2, 2], W, [2, 2], B, output, accumulator, relu);

    private static long[] Evaluate(long[] x, int[] xShape, long[] w, int[] wShape, long[]? b, string output, string accumulator, bool relu)
    {
        var model = Model(x, xShape, w, wShape, b, output, accumulator, relu);
        var y = (Tensor)new Interpreter(model).Run(("x", (IValue)Raw(x, "fixed<8,3>", xShape))).Values.Single();
        return Ir.Kernels.Quantization.FixedPointTensors.Raw(y);
    }

    private static Model Model(long[] x, int[] xShape, long[] w, int[] wShape, long[]? b, string output, string accumulator, bool relu)
    {
        var builder = new GraphBuilder("fixed_gemm");
        string xi = builder.Input("x", new TensorType(TypeSyntax.ParseElementType("fixed<8,3>"), Shape.Of(xShape)));
        var inputs = new List<string> { xi, builder.Initializer("w", Raw(w, "fixed<8,2>", wShape)) };
        if (b is not null)
        {
            inputs.Add(builder.Initializer("b", Raw(b, "fixed<8,3>", [b.Length])));
        }
        builder.Output(builder.Node("FixedGemm", inputs, Attributes(output, accumulator, relu, withBias: b is not null), domain: OpDomains.Neurite));
        return new Model(builder.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
    }

    private static Dictionary<string, AttributeValue> Attributes(string output, string accumulator, bool relu, bool withBias)
    {
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["x_type"] = "fixed<8,3>",
            ["w_type"] = "fixed<8,2>",
            ["accumulator_type"] = accumulator,
            ["output_type"] = output,
            ["relu"] = relu ? 1L : 0L,
        };
        if (withBias)
        {
            attributes["b_type"] = "fixed<8,3>";
        }
        return attributes;
    }

    private static Tensor Raw(long[] raw, string type, int[] shape) =>
        Ir.Kernels.Quantization.FixedPointTensors.FromRaw(raw, (FixedPointType)TypeSyntax.ParseElementType(type), shape);
}
