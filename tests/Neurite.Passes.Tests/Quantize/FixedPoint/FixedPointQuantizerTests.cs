using Neurite.Ir;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.FixedPoint;
using Xunit;

namespace Neurite.Passes.Tests.Quantize.FixedPoint;

/// <summary>
/// The pass on a 2-input, 2-output Gemm + Relu whose types, raw weights and accumulator width are
/// worked out by hand, per-layer overrides and the warnings they bring, and the options it refuses.
/// </summary>
public sealed class FixedPointQuantizerTests
{
    // y = Relu(x · Wᵀ + b), W = [[0.5, 1.5], [-1.0, 0.5]] (transB), b = [0.25, -0.5].
    // Calibrated: x in [-2, 3], the Gemm output in [-3.5, 2.2], the Relu output in [0, 2.2].
    private static readonly Dictionary<string, TensorRange> Ranges = new()
    {
        ["x"] = new(-2f, 3f), ["g"] = new(-3.5f, 2.2f), ["y"] = new(0f, 2.2f),
    };

    [Fact]
    public void ATinyGemmGetsTheTypesAndTheAccumulatorWorkedOutByHand()
    {
        var result = FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), new FixedPointOptions(new FixedPointPrecision(8, 3)));
        // fixed<8,3>: F = 5, raw = floor(v · 32) (trn). Weights [16, 48, -32, 16], bias [8, -16].
        var layer = Assert.Single(result.Layers);
        var gemm = result.Model.Graph.Nodes.Single(n => n.OpType == "FixedGemm");
        Assert.Equal([16, 48, -32, 16], FixedPointTensors.Raw(result.Model.Graph.Initializer(gemm.Inputs[1])!));
        Assert.Equal([8, -16], FixedPointTensors.Raw(result.Model.Graph.Initializer(gemm.Inputs[2])!));
        // Worst case, |x_raw| ≤ 128 and the accumulator has F = 5 + 5 = 10 (bias · 2^5):
        //   row 0: (16 + 48) · 128 + 8 · 32 = 8192 + 256 = 8448  → 14 bits of magnitude + sign = 15
        //   row 1: (32 + 16) · 128 + 16 · 32 = 6144 + 512 = 6656 → 13 + 1 = 14
        Assert.Equal(15, layer.WorstCaseAccumulatorBits);
        Assert.Equal(new FixedPointType(15, 5), layer.Accumulator);
        // Calibrated, |x| ≤ 3 → |x_raw| ≤ 96: row 0: 64 · 96 + 256 = 6400 → 13 + 1 = 14.
        Assert.Equal(14, layer.CalibratedAccumulatorBits);
        Assert.Equal("Relu", layer.FusedActivation);
        Assert.Equal(1L, gemm.Attribute("relu")!.AsInt());
        Assert.Equal("fixed<15,5>", gemm.Attribute("accumulator_type")!.AsString());
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void AutoIntegerBitsFollowTheCalibratedRangesAndTheWeightsOwnMaximum()
    {
        var result = FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), new FixedPointOptions(FixedPointPrecision.Parse("fixed<8,auto>")));
        var layer = Assert.Single(result.Layers);
        // x: max|x| = 3 < 2^(3-1) = 4 but not < 2^1 → I = 3. Weights: 1.5 < 2^1 but not < 2^0 → I = 2.
        // Bias: 0.5 < 2^0 but not < 2^-1 (strictly) → I = 1.
        // Result (the Relu output): 2.2 < 4 → I = 3.
        Assert.Equal(new FixedPointType(8, 3), layer.Inputs[0]);
        Assert.Equal(new FixedPointType(8, 2), layer.Weights);
        Assert.Equal(new FixedPointType(8, 1), layer.Bias);
        Assert.Equal(new FixedPointType(8, 3), layer.Result);
        // With a margin of 1.5: 3 · 1.5 = 4.5 ≥ 4 → I = 4 for x; 2.2 · 1.5 = 3.3 < 4 → the result stays at 3.
        var margin = FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), new FixedPointOptions(FixedPointPrecision.Parse("fixed<8,auto>"), RangeMargin: 1.5));
        Assert.Equal(new FixedPointType(8, 4), margin.Layers[0].Inputs[0]);
        Assert.Equal(new FixedPointType(8, 3), margin.Layers[0].Result);
    }

    [Fact]
    public void OverridesSetOneLayersTypesAndANarrowAccumulatorOrResultIsReported()
    {
        var options = new FixedPointOptions(new FixedPointPrecision(8, 3))
        {
            Layers = new Dictionary<string, FixedPointLayerPrecision>
            {
                ["gemm"] = new(Weights: FixedPointPrecision.Parse("fixed<6,2,rnd,sat>"), Result: FixedPointPrecision.Parse("ufixed<4,1,rnd,sat>"),
                    Accumulator: FixedPointPrecision.Parse("fixed<12,auto>")),
            },
        };
        var result = FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), options);
        var layer = Assert.Single(result.Layers);
        Assert.Equal(new FixedPointType(6, 2, true, RoundingMode.HalfUp, OverflowMode.Saturate), layer.Weights);
        // fixed<12,auto>: 12 bits with the product's F = 5 + 4 = 9, so I = 3; the calibrated inputs need
        // (0.5·16 + 1.5·16 = 32) · 96 + 8·16 = 3200 → 12 bits + sign = 13 > 12.
        Assert.Equal(new FixedPointType(12, 3), layer.Accumulator);
        Assert.Equal(13, layer.CalibratedAccumulatorBits);
        Assert.True(layer.AccumulatorCanOverflow);
        // ufixed<4,1> holds [0, 1.875]; the Relu output reaches 2.2.
        Assert.True(layer.ResultCanOverflow);
        Assert.Equal(["fixed.accumulator-overflow", "fixed.overflow"], result.Diagnostics.Select(d => d.Code));
        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Contains("layer 'gemm': the accumulator fixed<12,3,trn,wrap> has 12 bits but inputs within the calibrated range [-2, 3] need 13", result.Diagnostics[0].Message);
        Assert.Equal(["gemm", "Gemm+Relu", "fixed<8,3,trn,wrap>", "fixed<6,2,rnd,sat>", "fixed<8,3,trn,wrap>", "fixed<12,3,trn,wrap>", "14", "13", "ufixed<4,1,rnd,sat>", "[0, 2.2]", "accumulator, result"],
            FixedPointReport.Cells(layer));
        Assert.Equal(2, FixedPointReport.Table(result.Layers).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("fixed<0,3>", "the default precision fixed<0,3,trn,wrap>: the width W must be 1 to 64 bits, not 0")]
    [InlineData("fixed<65,3>", "the width W must be 1 to 64 bits, not 65")]
    [InlineData("fixed<16,90>", "90 integer bits leave -74 fraction bits; the integer bits must lie between W-62 and W+62 (-46 to 78)")]
    public void AnImpossibleDefaultPrecisionIsRefused(string precision, string message)
    {
        var error = Assert.Throws<NeuriteException>(() =>
            FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), new FixedPointOptions(FixedPointPrecision.Parse(precision))));
        Assert.Equal("fixed.precision", error.Diagnostics[0].Code);
        Assert.Contains(message, error.Diagnostics[0].Message);
    }

    [Theory]
    [InlineData("fixed<16>", "'fixed<16>' is not a fixed-point precision")]
    [InlineData("fixed<99999999999,6>", "'fixed<99999999999,6>' is not a fixed-point precision")]
    [InlineData("fixed<16,6,fast>", "expected a rounding mode (trn, rnd, rnd_conv, trn_zero) or overflow mode (wrap, sat, sat_sym), found 'fast'")]
    public void AMalformedPrecisionIsRefused(string precision, string message)
    {
        var error = Assert.Throws<NeuriteException>(() => FixedPointPrecision.Parse(precision));
        Assert.Contains(message, error.Diagnostics[0].Message);
    }

    [Fact]
    public void AnOverrideOfAnUnknownLayerNamesTheLayersThereAre()
    {
        var options = new FixedPointOptions() { Layers = new Dictionary<string, FixedPointLayerPrecision> { ["dense_7"] = new(Result: new(16, 6)) } };
        var error = Assert.Throws<NeuriteException>(() => FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), options));
        Assert.Equal("fixed.unknown-layer", error.Diagnostics[0].Code);
        Assert.Equal("a precision override names layer 'dense_7', which the model does not have (its layers are 'gemm')", error.Diagnostics[0].Message);

        var relu = new FixedPointOptions() { Layers = new Dictionary<string, FixedPointLayerPrecision> { ["relu"] = new(Result: new(16, 6)) } };
        var notALayer = Assert.Throws<NeuriteException>(() => FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), relu));
        Assert.Contains("names node 'relu', a Relu, which is not a Conv, Gemm, MatMul, Add or pooling layer", notALayer.Diagnostics[0].Message);
    }

    [Fact]
    public void AnImpossibleOverridePrecisionOrMarginIsRefused()
    {
        var options = new FixedPointOptions() { Layers = new Dictionary<string, FixedPointLayerPrecision> { ["gemm"] = new(Accumulator: new(80, 20)) } };
        var error = Assert.Throws<NeuriteException>(() => FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), options));
        Assert.Equal("the accumulator of layer 'gemm' fixed<80,20,trn,wrap>: the width W must be 1 to 64 bits, not 80", error.Diagnostics[0].Message);
        var weights = Assert.Throws<NeuriteException>(() => FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), new FixedPointOptions() { Weights = new(0, null) }));
        Assert.Equal("the weight precision fixed<0,auto,trn,wrap>: the width W must be 1 to 64 bits, not 0", weights.Diagnostics[0].Message);
        var margin = Assert.Throws<NeuriteException>(() => FixedPointQuantizer.Quantize(TinyGemm(), Calibration(), new FixedPointOptions(new(16, 6), RangeMargin: 0.5)));
        Assert.Equal("the range margin must be a finite factor of at least 1, not 0.5", margin.Diagnostics[0].Message);
    }

    private static Model TinyGemm()
    {
        var builder = new GraphBuilder("tiny");
        string x = builder.Input("x", TypeSyntax.ParseType("f32[1, 2]"));
        var w = builder.Initializer("w", Tensor.Create([0.5f, 1.5f, -1f, 0.5f], 2, 2));
        var b = builder.Initializer("b", Tensor.Create([0.25f, -0.5f], 2));
        builder.Node("Gemm", [x, w, b], new() { ["transB"] = 1L }, nodeName: "gemm", outputName: "g");
        builder.Node("Relu", ["g"], nodeName: "relu", outputName: "y");
        builder.Output("y");
        return new Model(builder.Build(), new Dictionary<string, int> { [""] = 13 });
    }

    private static CalibrationTable Calibration() => new(new CalibrationOptions(), 1, Ranges);
}
