using Xunit;

namespace Neurite.Ir.Tests.Ops.Qonnx;

/// <summary>
/// QONNX's quantisers against their specification: the rounding table of the IntQuant
/// document, the integer ranges its min_int/max_int examples give, and small cases worked out by
/// hand from the formulas (the whole-model checks against ONNX Runtime are in Neurite.Models.Tests).
/// </summary>
public sealed class QonnxQuantiserTests
{
    private static readonly float[] TableInputs = [5.5f, 2.5f, 1.6f, 1.1f, 1.0f, -1.0f, -1.1f, -1.6f, -2.5f, -5.5f];

    /// <summary>The rounding-mode table of the QONNX IntQuant specification, column by column.</summary>
    public static TheoryData<string, float[]> RoundingTable() => new()
    {
        { "ROUND", [6, 2, 2, 1, 1, -1, -1, -2, -2, -6] },
        { "CEIL", [6, 3, 2, 2, 1, -1, -1, -1, -2, -5] },
        { "FLOOR", [5, 2, 1, 1, 1, -1, -2, -2, -3, -6] },
        { "UP", [6, 3, 2, 2, 1, -1, -2, -2, -3, -6] },
        { "DOWN", [5, 2, 1, 1, 1, -1, -1, -1, -2, -5] },
        { "HALF_UP", [6, 3, 2, 1, 1, -1, -1, -2, -3, -6] },
        { "half_down", [5, 2, 2, 1, 1, -1, -1, -2, -2, -5] },
    };

    [Theory]
    [MemberData(nameof(RoundingTable))]
    public void QuantRoundsAsTheSpecificationTableSays(string mode, float[] expected)
    {
        var y = RunQuant(Tensor.Create(TableInputs, TableInputs.Length), scale: 1f, zeroPoint: 0f, bits: 8,
            signed: true, narrow: false, mode);
        Assert.Equal(expected, y.Span<float>().ToArray());
    }

    [Theory]
    [InlineData(true, true, 8, -127, 127)]
    [InlineData(true, false, 8, -128, 127)]
    [InlineData(false, true, 8, 0, 254)]
    [InlineData(false, false, 8, 0, 255)]
    [InlineData(true, false, 4, -8, 7)]
    [InlineData(false, false, 3, 0, 7)]
    public void QuantClampsToTheRangeOfItsBits(bool signed, bool narrow, int bits, float min, float max)
    {
        var y = RunQuant(Tensor.Create(new[] { -1000f, 1000f }, 2), 1f, 0f, bits, signed, narrow, "ROUND");
        Assert.Equal(new[] { min, max }, y.Span<float>().ToArray());
    }

    [Fact]
    public void QuantScalesPerChannelAndShiftsByTheZeroPoint()
    {
        // Channel 0: scale 0.5, zero point 2 -> 1.3/0.5 + 2 = 4.6 -> 5 -> (5 - 2) * 0.5 = 1.5;
        //   -3.0/0.5 + 2 = -4 -> -4 -> -3.0.
        // Channel 1: scale 0.25, zero point 0 -> 1.3/0.25 = 5.2 -> 5 -> 1.25; -3.0/0.25 = -12 -> clamp to -8 (4 bits) -> -2.0.
        var x = Tensor.Create(new[] { 1.3f, -3.0f, 1.3f, -3.0f }, 1, 2, 2);
        var scale = Tensor.Create(new[] { 0.5f, 0.25f }, 1, 2, 1);
        var zero = Tensor.Create(new[] { 2f, 0f }, 1, 2, 1);
        var y = Run("Quant", [x, scale, zero, Tensor.Scalar(4f)], new() { ["signed"] = 1L, ["narrow"] = 0L, ["rounding_mode"] = "ROUND" });
        Assert.Equal(new[] { 1.5f, -3.0f, 1.25f, -2.0f }, y.Span<float>().ToArray());
    }

    [Fact]
    public void SignedOneBitQuantIsBipolarAndBipolarQuantScalesTheSign()
    {
        var x = Tensor.Create(new[] { 0.3f, 0f, -0.1f }, 3);
        var quant = Run("Quant", [x, Tensor.Scalar(0.5f), Tensor.Scalar(0f), Tensor.Scalar(1f)], new() { ["signed"] = 1L, ["narrow"] = 0L });
        var bipolar = Run("BipolarQuant", [x, Tensor.Scalar(0.5f)], []);
        Assert.Equal(new[] { 0.5f, 0.5f, -0.5f }, quant.Span<float>().ToArray());
        Assert.Equal(new[] { 0.5f, 0.5f, -0.5f }, bipolar.Span<float>().ToArray());
    }

    [Fact]
    public void MultiThresholdCountsThresholdsPerChannelThenScalesAndBiases()
    {
        // NCHW [1, 2, 1, 3]; channel 0 thresholds {0, 1}, channel 1 {-1, 5}; y = 2 * count - 1.
        var v = Tensor.Create(new[] { -0.5f, 0f, 1f, -1f, 4.9f, 5f }, 1, 2, 1, 3);
        var thresholds = Tensor.Create(new[] { 0f, 1f, -1f, 5f }, 2, 2);
        var y = Run("MultiThreshold", [v, thresholds], new() { ["out_dtype"] = "UINT2", ["out_scale"] = 2f, ["out_bias"] = -1f });
        Assert.Equal(new[] { -1f, 1f, 3f, 1f, 1f, 3f }, y.Span<float>().ToArray());
    }

    [Fact]
    public void MultiThresholdReadsChannelsLastInNhwc()
    {
        // NHWC [1, 1, 2, 2]: the channel is the last axis.
        var v = Tensor.Create(new[] { 0.5f, 0.5f, 2f, 2f }, 1, 1, 2, 2);
        var thresholds = Tensor.Create(new[] { 0f, 1f, 1f, 3f }, 2, 2);
        var y = Run("MultiThreshold", [v, thresholds], new() { ["out_dtype"] = "UINT2", ["data_layout"] = "NHWC" });
        Assert.Equal(new[] { 1f, 0f, 2f, 1f }, y.Span<float>().ToArray());
    }

    [Fact]
    public void TruncDropsLowBitsAndSaturatesToTheOutputGrid()
    {
        // Version 2: scale 1, out_scale 4 -> t = 4. 13 -> 13/4 = 3.25 -> floor 3 -> 12; -13 -> -3.25 -> -4 -> -16;
        // 100 -> 25 -> clamp to 7 (4-bit signed) -> 28.
        var x = Tensor.Create(new[] { 13f, -13f, 100f }, 3);
        var y = Run("Trunc", [x, Tensor.Scalar(1f), Tensor.Scalar(0f), Tensor.Scalar(8f), Tensor.Scalar(4f), Tensor.Scalar(4f)],
            new() { ["rounding_mode"] = "FLOOR" });
        Assert.Equal(new[] { 12f, -16f, 28f }, y.Span<float>().ToArray());
    }

    [Fact]
    public void QuantRejectsAFractionalBitWidthWithAClearMessage()
    {
        var failure = Assert.Throws<InvalidNodeException>(() =>
            Run("Quant", [Tensor.Create(new[] { 1f }, 1), Tensor.Scalar(1f), Tensor.Scalar(0f), Tensor.Scalar(2.5f)], []));
        Assert.Contains("whole number of bits", failure.Message);
    }

    private static Tensor RunQuant(Tensor x, float scale, float zeroPoint, int bits, bool signed, bool narrow, string mode) =>
        Run("Quant", [x, Tensor.Scalar(scale), Tensor.Scalar(zeroPoint), Tensor.Scalar((float)bits)],
            new() { ["signed"] = signed ? 1L : 0L, ["narrow"] = narrow ? 1L : 0L, ["rounding_mode"] = mode });

    private static Tensor Run(string op, Tensor[] inputs, Dictionary<string, AttributeValue> attributes)
    {
        var b = new GraphBuilder(op);
        var names = inputs.Select((t, i) => b.Input($"in{i}", t.Type)).ToList();
        b.Output(b.Node(op, names, attributes, domain: OpDomains.Qonnx));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 17, [OpDomains.Qonnx] = 1 });
        var feeds = names.Zip(inputs).ToDictionary(p => p.First, p => (IValue)p.Second);
        try
        {
            return (Tensor)new Interpreter(model).Run(feeds).Values.Single();
        }
        catch (NeuriteException e) when (e.InnerException is InvalidNodeException inner)
        {
            throw inner;
        }
    }
}
