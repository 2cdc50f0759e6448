using System.Globalization;
using System.Numerics;
using Neurite.Ir;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize.FixedPoint;

/// <summary>
/// The hls4ml jet tagger in ap_fixed&lt;16,6&gt; (truncation and wrapping, hls4ml's defaults;
/// accumulators as wide as the worst case): its class probabilities against the float model's on
/// hls4ml's test inputs and on N(0, 1) inputs, why 16-bit weights need their own integer bits, the
/// accumulator widths against a computation from the original file's weights, and the error
/// shrinking as the width grows.
/// </summary>
public sealed class JetTaggerFixedPointTests(ITestOutputHelper output)
{
    private const int Samples = 1000;
    private static readonly string[] Layers = ["_class__keras_layers_core_Dense__", "_class__keras_layers_core_Dense__1", "_class__keras_layers_core_Dense__2", "_class__keras_layers_core_Dense__3"];

    /// <summary>
    /// The case: the jet tagger's data path in fixed&lt;16,6&gt;, hls4ml's default precision
    /// and modes (truncate, wrap), with every weight and bias 16 bits wide and its integer bits
    /// chosen from its own largest magnitude (2 or 3 here: the weights are below 4, so they keep
    /// 13 or 14 fraction bits), on the inputs hls4ml's own test of this model draws. Its class
    /// probabilities stay within 2^-8 of float, and nothing can overflow on those inputs.
    /// </summary>
    [Fact]
    public void Fixed16_6WithSixteenBitWeightsIsWithinTwoToTheMinusEightOnHls4mlsTestInputs()
    {
        var sixteenBits = FixedPointPrecision.Parse("fixed<16,auto>");
        var options = new FixedPointOptions(FixedPointPrecision.Parse("fixed<16,6>")) { Weights = sixteenBits, Bias = sixteenBits };
        var result = FixedPointQuantizer.Quantize(JetTagger.Float, JetTagger.Hls4mlTestCalibration, options);
        var inputs = JetTagger.Hls4mlTestInputs(Samples, seed: 2);
        double difference = JetTagger.MaxDifference(JetTagger.Run(JetTagger.Float, inputs), JetTagger.Run(result.Model, inputs));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fixed<16,6> activations, fixed<16,auto> weights and biases, {Samples} uniform [0, 1) inputs: max |p_fixed - p_float| = {difference:E3} (2^-8 = {Math.ScaleB(1.0, -8):E3})"));
        output.WriteLine(string.Join(", ", result.Layers.Select(l => $"{l.Node}: w {FixedPointPrecision.Describe(l.Weights!)}, result {FixedPointPrecision.Describe(l.Result)}")));
        Assert.True(difference <= Math.ScaleB(1.0, -8), $"max difference {difference} exceeds 2^-8");
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Layers, l => Assert.Equal(new FixedPointType(16, 6), l.Result));
        Assert.All(result.Layers, l => Assert.True(l.Weights is { Width: 16, IntegerBits: 2 or 3 }, $"{l.Node}: weights {l.Weights}"));
    }

    /// <summary>
    /// On standardised features (N(0, 1)) the last three layers' outputs pass ±32, so fixed&lt;16,6&gt;
    /// has to saturate instead of wrapping (the analysis warns about exactly those layers); rounded
    /// and saturated, with 16-bit weights, it is again within 2^-8.
    /// </summary>
    [Fact]
    public void Fixed16_6SaturatingIsWithinTwoToTheMinusEightOnStandardisedFeatures()
    {
        var sixteenBits = FixedPointPrecision.Parse("fixed<16,auto,rnd,sat>");
        var options = new FixedPointOptions(FixedPointPrecision.Parse("fixed<16,6,rnd,sat>")) { Weights = sixteenBits, Bias = sixteenBits };
        var result = FixedPointQuantizer.Quantize(JetTagger.Float, JetTagger.Calibration, options);
        var inputs = JetTagger.Inputs(Samples, seed: 2);
        double difference = JetTagger.MaxDifference(JetTagger.Run(JetTagger.Float, inputs), JetTagger.Run(result.Model, inputs));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fixed<16,6,rnd,sat> activations, fixed<16,auto,rnd,sat> weights, {Samples} N(0,1) inputs: max |p_fixed - p_float| = {difference:E3}"));
        Assert.True(difference <= Math.ScaleB(1.0, -8), $"max difference {difference} exceeds 2^-8");
        Assert.Equal(Layers[1..], result.Diagnostics.Where(d => d.Code == "fixed.overflow").Select(d => d.Location!.Node));
    }

    [Fact]
    public void SixteenBitsWithAutoIntegerBitsRoundedAndSaturatedAreWithinTwoToTheMinusEightOfFloat()
    {
        // Every tensor 16 bits wide with its integer bits from its own range keeps the fraction bits
        // where the values are small.
        var precision = FixedPointPrecision.Parse("fixed<16,auto,rnd,sat>");
        var result = FixedPointQuantizer.Quantize(JetTagger.Float, JetTagger.Calibration, new FixedPointOptions(precision));
        var inputs = JetTagger.Inputs(Samples, seed: 2);
        double difference = JetTagger.MaxDifference(JetTagger.Run(JetTagger.Float, inputs), JetTagger.Run(result.Model, inputs));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{precision} jet tagger, {Samples} N(0,1) inputs: max |p_fixed - p_float| = {difference:E3} (2^-8 = {Math.ScaleB(1.0, -8):E3})"));
        output.WriteLine(string.Join(", ", result.Layers.Select(l => $"{l.Node}: w {l.Weights}, result {l.Result}")));
        Assert.True(difference <= Math.ScaleB(1.0, -8), $"max difference {difference} exceeds 2^-8");
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Layers, l => Assert.Equal(16, l.Result.Width));
    }

    [Fact]
    public void Fixed16_6WrapsWhereTheAnalysisWarnsAndItsTenFractionBitsSetTheErrorFloor()
    {
        var inputs = JetTagger.Inputs(Samples, seed: 2);
        var reference = JetTagger.Run(JetTagger.Float, inputs);
        FixedPointResult Quantise(string precision) =>
            FixedPointQuantizer.Quantize(JetTagger.Float, JetTagger.Calibration, new FixedPointOptions(FixedPointPrecision.Parse(precision)));

        // hls4ml's default, ap_fixed<16,6> (trn, wrap): the calibrated outputs of the last three
        // layers reach ±33.9, ±40.5 and -32.04, beyond [-32, 32): they wrap, and the analysis says so.
        var hls4ml = Quantise("fixed<16,6>");
        double wrapped = JetTagger.MaxDifference(reference, JetTagger.Run(hls4ml.Model, inputs));
        Assert.Equal(Layers[1..], hls4ml.Diagnostics.Where(d => d.Code == "fixed.overflow").Select(d => d.Location!.Node));
        Assert.Equal([false, true, true, true], hls4ml.Layers.Select(l => l.ResultCanOverflow));
        Assert.True(wrapped > 0.5, $"a wrapped activation should wreck some probability, the largest difference is {wrapped}");

        // Rounded and saturated, the error is that of the resolution: two more integer bits (fixed<18,8>,
        // where nothing saturates) change the outputs by less than a hundredth of it, so the 2^-10
        // steps cost the 6.5e-3; the weights' steps dominate (layer inputs reach 30, so a weight
        // rounded by 2^-11 moves a sum by 30 · 2^-11): with 16-bit weights, the tests above are within 2^-8.
        var saturated = JetTagger.Run(Quantise("fixed<16,6,rnd,sat>").Model, inputs);
        var wider = JetTagger.Run(Quantise("fixed<18,8,rnd,sat>").Model, inputs);
        double floor = JetTagger.MaxDifference(reference, saturated);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Samples} N(0,1) inputs, max |p_fixed - p_float|: fixed<16,6,trn,wrap> {wrapped:E3}, fixed<16,6,rnd,sat> {floor:E3}, fixed<18,8,rnd,sat> {JetTagger.MaxDifference(reference, wider):E3}"));
        Assert.True(JetTagger.MaxDifference(saturated, wider) < floor / 100, $"saturation at ±32 moves the outputs by {JetTagger.MaxDifference(saturated, wider)}");
        Assert.True(floor > Math.ScaleB(1.0, -8), $"fixed<16,6,rnd,sat> is within 2^-8 ({floor}): the test above could use it");
    }

    [Fact]
    public void TheGraphIsFixedPointFromItsInputToTheSoftmaxWithEveryValueTyped()
    {
        var result = FixedPointQuantizer.Quantize(JetTagger.Float, JetTagger.Calibration, new FixedPointOptions());
        var ops = result.Model.Graph.Nodes.Select(n => n.QualifiedOpType).ToList();
        output.WriteLine(string.Join(", ", ops));
        Assert.Equal(["neurite.ToFixed", "neurite.FixedGemm", "neurite.FixedGemm", "neurite.FixedGemm", "neurite.FixedGemm", "neurite.FromFixed", "Softmax"], ops);
        Assert.Equal(["Softmax"], result.FloatNodes.Select(n => result.Model.Graph.Nodes.Single(x => x.Name == n).OpType));
        var errors = GraphVerifier.Verify(result.Model).Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var sixteenSix = new FixedPointType(16, 6);
        foreach (var node in result.Model.Graph.Nodes.Where(n => n.OpType is "FixedGemm" or "ToFixed"))
        {
            Assert.Equal(sixteenSix, ((TensorType)result.Model.Graph.ValueInfo.Single(v => v.Name == node.Outputs[0]).Type!).ElementType);
        }
        Assert.Equal(Layers, result.Layers.Select(l => l.Node));
        Assert.All(result.Layers, layer => Assert.Equal("Gemm", layer.Op));
        Assert.Equal(["Relu", "Relu", "Relu", null], result.Layers.Select(l => l.FusedActivation));
    }

    [Fact]
    public void AccumulatorWidthsAreTheWorstCaseOfTheFilesOwnWeights()
    {
        var result = FixedPointQuantizer.Quantize(JetTagger.Float, JetTagger.Calibration, new FixedPointOptions());
        var original = JetTagger.Original().Graph;
        output.WriteLine("layer                                  worst-case bits  calibrated bits  accumulator");
        for (int l = 0; l < 4; l++)
        {
            // W is [K, M] (Keras), B [M]; fixed<16,6> truncates: raw = floor(v · 2^10). Every input is
            // fixed<16,6> too, so |x_raw| ≤ 2^15, and the accumulator has 10 + 10 = 20 fraction bits.
            var w = original.Initializer(l == 0 ? "W" : $"W{l}")!.Span<float>().ToArray();
            var b = original.Initializer(l == 0 ? "B" : $"B{l}")!.Span<float>().ToArray();
            int outputs = b.Length, inputs = w.Length / outputs;
            var layer = result.Layers.Single(r => r.Node == Layers[l]);
            double calibratedInput = layer.InputRange.MaxMagnitude;
            BigInteger worst = 0, calibrated = 0;
            for (int m = 0; m < outputs; m++)
            {
                BigInteger weightSum = 0;
                for (int k = 0; k < inputs; k++)
                {
                    weightSum += BigInteger.Abs(new BigInteger(Math.Floor(w[k * outputs + m] * 1024.0)));
                }
                var bias = BigInteger.Abs(new BigInteger(Math.Floor(b[m] * 1024.0))) * 1024;
                worst = BigInteger.Max(worst, weightSum * 32768 + bias);
                calibrated = BigInteger.Max(calibrated, weightSum * new BigInteger(Math.Ceiling(calibratedInput * 1024)) + bias);
            }
            int worstBits = (int)worst.GetBitLength() + 1, calibratedBits = (int)calibrated.GetBitLength() + 1;
            output.WriteLine($"{layer.Node,-38} {layer.WorstCaseAccumulatorBits,15} {layer.CalibratedAccumulatorBits,16}  {FixedPointPrecision.Describe(layer.Accumulator)}");
            Assert.Equal(worstBits, layer.WorstCaseAccumulatorBits);
            Assert.Equal(calibratedBits, layer.CalibratedAccumulatorBits);
            Assert.Equal(new FixedPointType(worstBits, worstBits - 20), layer.Accumulator);
            Assert.False(layer.AccumulatorCanOverflow);
            Assert.Equal(new FixedPointType(16, 6), layer.Result);
        }
    }

    [Fact]
    public void TheErrorShrinksAsTheWidthGrows()
    {
        var inputs = JetTagger.Inputs(Samples, seed: 3);
        var reference = JetTagger.Run(JetTagger.Float, inputs);
        double Difference(int width, int integerBits) => JetTagger.MaxDifference(reference, JetTagger.Run(FixedPointQuantizer.Quantize(JetTagger.Float,
            JetTagger.Calibration, new FixedPointOptions(new FixedPointPrecision(width, integerBits, Rounding: RoundingMode.HalfUp, Overflow: OverflowMode.Saturate))).Model, inputs));
        double narrow = Difference(12, 4), middle = Difference(16, 6), wide = Difference(24, 8);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |p_fixed - p_float| over {Samples} inputs (rnd, sat): fixed<12,4> {narrow:E3}, fixed<16,6> {middle:E3}, fixed<24,8> {wide:E3}"));
        // Each fraction bit halves the rounding steps: 8 → 10 → 16 fraction bits.
        Assert.True(middle < narrow / 2, $"fixed<16,6> ({middle}) is not clearly closer than fixed<12,4> ({narrow})");
        Assert.True(wide < middle / 16, $"fixed<24,8> ({wide}) is not clearly closer than fixed<16,6> ({middle})");
    }
}
