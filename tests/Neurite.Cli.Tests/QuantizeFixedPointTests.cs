using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Cli.Tests;

/// <summary>
/// <c>neurite quantize --activations 'fixed&lt;...&gt;'</c> as a user runs it: the hls4ml jet tagger
/// on inputs drawn as hls4ml's own test of it draws them (written here as .npy files: ../shared has
/// no jet data), and the zoo LeNet-5 on Fashion-MNIST with labels. The written models are read
/// back and run; the report's accumulator widths are computed here from the original file's
/// weights, its accuracies by scoring the written model.
/// </summary>
public sealed class QuantizeFixedPointTests(ITestOutputHelper output)
{
    private const int CalibrationSamples = 1000;
    private const int EvaluationSamples = 1000;
    private static readonly string[] JetLayers = ["_class__keras_layers_core_Dense__", "_class__keras_layers_core_Dense__1", "_class__keras_layers_core_Dense__2", "_class__keras_layers_core_Dense__3"];

    private static string JetTagger => SharedData.Path("models", "hls4ml", "three_layer_keras.onnx");

    /// <summary>
    /// fixed&lt;16,6&gt; activations, hls4ml's default (trn, wrap). Without --weights the weights and
    /// biases get fixed&lt;16,auto&gt;: the .nrt read back is within 2^-8 of float on inputs the
    /// calibration never saw, nothing can overflow, and the accumulators are as wide as the worst
    /// case of those weights (34, 34, 33, 33 bits: 13 or 14 weight fraction bits plus the inputs' 10).
    /// With --weights 'fixed&lt;16,6&gt;' they are the 31, 30, 30, 30 of the passes-level test.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("fixed<16,6>")]
    public void TheJetTaggerInFixed16_6ComputesWithinTwoToTheMinusEightAndReportsItsAccumulators(string? weights)
    {
        using var folder = new TemporaryFolder();
        var calibration = JetTaggerInputs.Uniform(CalibrationSamples, seed: 1);
        var evaluation = JetTaggerInputs.Uniform(EvaluationSamples, seed: 2);
        Npy.Write(Tensor.Create(calibration, CalibrationSamples, JetTaggerInputs.Features), folder.File("calib.npy"));
        string program = folder.File("jet.nrt"), report = folder.File("jet.json");
        string[] weightArguments = weights is null ? [] : ["--weights", weights];
        var result = NeuriteProcess.Run(["quantize", JetTagger, "--calib", folder.File("calib.npy"), "--activations", "fixed<16,6>", .. weightArguments, "-o", program, "--report", report]);
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);

        var floatModel = NeuriteModel.Load(JetTagger);
        var fixedModel = NeuriteModel.Load(program);
        Assert.Contains(fixedModel.Graph.Nodes, n => n.QualifiedOpType == "neurite.FixedGemm");
        double worst = 0;
        for (int n = 0; n < EvaluationSamples; n++)
        {
            var x = Tensor.Create(evaluation[(n * 16)..((n + 1) * 16)], 1, 16);
            worst = Math.Max(worst, TensorComparison.MaxAbsDifference(floatModel.Run(x), fixedModel.Run(x)));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |p_fixed - p_float| on {EvaluationSamples} evaluation inputs: {worst:E3} (2^-8 = {Math.ScaleB(1.0, -8):E3})"));
        if (weights is null)
        {
            Assert.True(worst <= Math.ScaleB(1.0, -8), $"the fixed-point model is {worst} from float, more than 2^-8");
        }
        else
        {
            // Why the weights default to fixed<16,auto>: fixed<16,6> ones lose 3 or 4 fraction bits to integer range they never
            // use, and the probabilities leave 2^-8 (measured 2.2e-2, against 1.9e-3 with the default).
            Assert.True(worst > Math.ScaleB(1.0, -8), $"fixed<16,6> weights are within 2^-8 ({worst}): the default's reason is gone");
        }

        var expected = ExpectedLayers(weights is null ? null : 6, calibration);
        if (weights is not null)
        {
            Assert.Equal([31, 30, 30, 30], expected.Select(e => e.WorstBits));
        }
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal("fixed-point", root.GetProperty("scheme").GetString());
        Assert.Equal(weights is null ? "fixed<16,auto,trn,wrap>" : "fixed<16,6,trn,wrap>", root.GetProperty("options").GetProperty("weights").GetString());
        Assert.Equal(0, root.GetProperty("warnings").GetArrayLength());
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(JetLayers, layers.Select(l => l.GetProperty("node").GetString()));
        var lines = result.Stdout.Split('\n');
        for (int l = 0; l < JetLayers.Length; l++)
        {
            var layer = layers[l];
            var accumulator = layer.GetProperty("accumulator");
            Assert.Equal(Describe(expected[l].Weights), layer.GetProperty("weightType").GetString());
            Assert.Equal(Describe(expected[l].Bias), layer.GetProperty("biasType").GetString());
            Assert.Equal(expected[l].WorstBits, accumulator.GetProperty("worstCaseBits").GetInt32());
            Assert.Equal(expected[l].CalibratedBits, accumulator.GetProperty("calibratedBits").GetInt32());
            Assert.Equal(Describe(expected[l].Accumulator), accumulator.GetProperty("type").GetString());
            Assert.Equal("fixed<16,6,trn,wrap>", layer.GetProperty("resultType").GetString());
            Assert.Equal(["fixed<16,6,trn,wrap>"], layer.GetProperty("inputTypes").EnumerateArray().Select(t => t.GetString()));
            Assert.False(layer.GetProperty("overflow").GetProperty("accumulator").GetBoolean());
            Assert.False(layer.GetProperty("overflow").GetProperty("result").GetBoolean());
            Assert.Equal(l < 3 ? "Relu" : null, layer.GetProperty("fusedActivation").GetString());
            double sqnr = layer.GetProperty("sqnrDb").GetDouble();
            // Measured on these inputs: 54 to 69 dB with fixed<16,auto> weights, 34 to 56 dB with fixed<16,6> ones, whose
            // 10 fraction bits round the weights 8 to 16 times more coarsely.
            Assert.True(sqnr > (weights is null ? 50 : 30), $"{JetLayers[l]}: SQNR {sqnr} dB");

            // The table shows the same numbers: layer, op, input, weights, bias, accumulator, worst bits, calibrated bits, result, ..., SQNR.
            var cells = lines.Single(line => line.TrimStart().StartsWith(JetLayers[l] + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([Describe(expected[l].Weights), Describe(expected[l].Bias), Describe(expected[l].Accumulator), $"{expected[l].WorstBits}", $"{expected[l].CalibratedBits}", "fixed<16,6,trn,wrap>"], cells[3..9]);
            Assert.Equal(sqnr.ToString("F1", CultureInfo.InvariantCulture), cells[^1]);
        }
        Assert.Equal("calibration", root.GetProperty("sqnr").GetProperty("data").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("accuracy").ValueKind);
        Assert.Equal(["Softmax"], root.GetProperty("floatNodes").EnumerateArray().Select(n => fixedModel.Graph.Nodes.Single(x => x.Name == n.GetString()).OpType));

        // 4,389 parameters: 32 bits each in float, 16 as fixed point.
        int parameters = OnnxImporter.Load(JetTagger).Graph.Initializers.Sum(i => i.Value.Length);
        Assert.Equal(4389, parameters);
        Assert.Equal(32L * parameters, root.GetProperty("weightBits").GetProperty("float").GetInt64());
        Assert.Equal(16L * parameters, root.GetProperty("weightBits").GetProperty("quantized").GetInt64());
        Assert.Equal(2L * parameters, root.GetProperty("weightBytes").GetProperty("quantized").GetInt64());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{4L * parameters:N0} bytes float, {2L * parameters:N0} bytes fixed point (50.0 %), at W bits per value"), result.Stdout);
    }

    /// <summary>
    /// An accumulator narrower than the calibrated sums (--accumulator 'fixed&lt;24,auto&gt;': 24 bits
    /// where 29 to 32 are needed) is the user's choice: the model is written, exit code 0, and every
    /// layer's warning goes to stderr and into the JSON, its overflow flag set.
    /// </summary>
    [Fact]
    public void ANarrowAccumulatorIsWarnedAboutOnStderrAndInTheReport()
    {
        using var folder = new TemporaryFolder();
        Npy.Write(Tensor.Create(JetTaggerInputs.Uniform(200, seed: 1), 200, JetTaggerInputs.Features), folder.File("calib.npy"));
        string program = folder.File("jet.nrt"), report = folder.File("jet.json");
        var result = NeuriteProcess.Run("quantize", JetTagger, "--calib", folder.File("calib.npy"), "--activations", "fixed<16,6>",
            "--accumulator", "fixed<24,auto>", "-o", program, "--report", report);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(program));
        var warnings = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(JetLayers.Length, warnings.Length);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var recorded = json.RootElement.GetProperty("warnings").EnumerateArray().ToList();
        Assert.Equal(JetLayers, recorded.Select(w => w.GetProperty("node").GetString()));
        for (int l = 0; l < JetLayers.Length; l++)
        {
            var layer = json.RootElement.GetProperty("layers")[l];
            var accumulator = layer.GetProperty("accumulator");
            int calibrated = accumulator.GetProperty("calibratedBits").GetInt32();
            Assert.Equal(24, accumulator.GetProperty("bits").GetInt32());
            Assert.True(calibrated > 24, $"{JetLayers[l]} needs {calibrated} bits");
            Assert.True(layer.GetProperty("overflow").GetProperty("accumulator").GetBoolean());
            Assert.Equal("fixed.accumulator-overflow", recorded[l].GetProperty("code").GetString());
            string message = recorded[l].GetProperty("message").GetString()!;
            Assert.Contains($"has 24 bits but inputs within the calibrated range", message);
            Assert.Contains($"need {calibrated} ({accumulator.GetProperty("worstCaseBits").GetInt32()} for any input)", message);
            Assert.Equal($"node '{JetLayers[l]}' (Gemm): warning: {message} [fixed.accumulator-overflow]", warnings[l].TrimEnd('\r'));
        }
        Assert.Equal("fixed<24,auto,trn,wrap>", json.RootElement.GetProperty("options").GetProperty("accumulator").GetString());
    }

    /// <summary>
    /// LeNet-5 in fixed&lt;16,auto&gt; (every tensor 16 bits, its integer bits from its range), written
    /// as ONNX with the neurite-domain fixed-point ops: the file reads back as the model the library
    /// makes from the same settings and computes its bits exactly, and the report's accuracies are
    /// what scoring the written file and the float model gives, within 0.3 pp of each other.
    /// </summary>
    [Fact]
    public void LeNetInSixteenBitFixedPointWritesOnnxThatReadsBackBitForBitAndEarnsTheReportedAccuracy()
    {
        using var folder = new TemporaryFolder();
        string onnx = folder.File("lenet-fixed.onnx"), report = folder.File("lenet-fixed.json");
        var result = NeuriteProcess.Run("quantize", QuantizeCommandTests.LeNet, "--calib", QuantizeCommandTests.CalibrationImages, "--scale", "1/255",
            "--eval", QuantizeCommandTests.TestImages, "--labels", QuantizeCommandTests.TestLabels, "--eval-count", $"{EvaluationSamples}",
            "--activations", "fixed<16,auto>", "-o", onnx, "--report", report);
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Contains("note: lenet-fixed.onnx is ONNX with Neurite's fixed-point ops (domain neurite: ToFixed, FixedGemm, FixedConv, FixedAdd, FromFixed), which Neurite reads back and runs bit for bit; ONNX Runtime cannot run them", result.Stdout);

        var written = NeuriteModel.Load(onnx);
        var source = NeuriteModel.Load(QuantizeCommandTests.LeNet);
        var calibration = SampleData.FromFiles(source.Model, [QuantizeCommandTests.CalibrationImages], new PixelPreprocessing(1 / 255.0)).Take(CalibrationSamples);
        var library = ModelQuantizer.Quantize(source, calibration, new QuantizeSettings { Activations = NumberFormat.Fixed("fixed<16,auto>") }, measure: false);
        Assert.IsType<FixedPointQuantizedModel>(library);
        var differences = ModelEquality.Differences(library.Model.Model, written.Model);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.All(written.Graph.Initializers, i => Assert.Equal(16, ((FixedPointType)i.Value.ElementType).Width));
        var entry = ZooQuantization.Entry("zoo/fmnist_lenet5.onnx");
        var images = Preprocessing.Batch(entry, DataSet.FashionMnist, 0, 200, [200, 1, 28, 28]);
        Assert.Equal(library.Model.Run(images).ToArray<float>(), written.Run(images).ToArray<float>());

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var accuracy = json.RootElement.GetProperty("accuracy");
        double floatAccuracy = ClassificationAccuracy.Score(OnnxImporter.Load(QuantizeCommandTests.LeNet), entry, DataSet.FashionMnist, 0, EvaluationSamples);
        double fixedAccuracy = ClassificationAccuracy.Score(written.Model, entry, DataSet.FashionMnist, 0, EvaluationSamples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test images 0..{EvaluationSamples - 1}: float {floatAccuracy:P2}, fixed<16,auto> {fixedAccuracy:P2}"));
        Assert.Equal(floatAccuracy, accuracy.GetProperty("float").GetDouble());
        Assert.Equal(fixedAccuracy, accuracy.GetProperty("quantized").GetDouble());
        Assert.True(floatAccuracy - fixedAccuracy <= 0.003, $"fixed point loses {(floatAccuracy - fixedAccuracy) * 100:F2} pp");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"float {floatAccuracy:P2}, quantized {fixedAccuracy:P2}"), result.Stdout);

        // Every stored value is 16 bits in hardware: the 61,706 parameters and the average pools' 1/4 windows (6 and 16 channels of 2×2).
        long values = written.Graph.Initializers.Sum(i => (long)i.Value.Length);
        Assert.Equal(61_706 + (6 + 16) * 4, values);
        Assert.Equal(16 * values, json.RootElement.GetProperty("weightBits").GetProperty("quantized").GetInt64());
        Assert.Equal(32 * 61_706, json.RootElement.GetProperty("weightBits").GetProperty("float").GetInt64());
    }

    private static string Describe(FixedPointType type) => FixedPointPrecision.Describe(type);

    /// <param name="Weights">The layer's weight type, fixed&lt;16,I&gt; (trn, wrap).</param>
    /// <param name="Accumulator">As wide as the worst case, with the exact products' fraction bits.</param>
    private sealed record ExpectedLayer(FixedPointType Weights, FixedPointType Bias, int WorstBits, int CalibratedBits, FixedPointType Accumulator);

    /// <summary>
    /// Each layer's types and accumulator widths from the original file's weights (W is [K, M], as
    /// Keras stores it), independently of the quantiser: weights and biases fixed&lt;16,I&gt; with I
    /// given or, for auto, the smallest with max|v| &lt; 2^(I-1); raw = floor(v · 2^F) (trn); inputs
    /// fixed&lt;16,6&gt;, so |x_raw| ≤ 2^15 for the worst case and ceil(max|x| · 2^10) over the
    /// calibration samples (the float model run here) for the calibrated one; the accumulator has
    /// 10 + Fw fraction bits, the bias shifted into them.
    /// </summary>
    private static List<ExpectedLayer> ExpectedLayers(int? integerBits, float[] calibration)
    {
        var original = OnnxImporter.Load(JetTagger);
        var layerInputs = original.Graph.Nodes.Where(n => n.OpType == "MatMul").Select(n => n.Inputs[0]).ToList();
        var largest = new LargestMagnitudes(layerInputs);
        var interpreter = new Interpreter(original);
        string input = original.Graph.Inputs.Single().Name;
        for (int n = 0; n < calibration.Length / 16; n++)
        {
            interpreter.Run(new Dictionary<string, IValue> { [input] = Tensor.Create(calibration[(n * 16)..((n + 1) * 16)], 1, 16) }, largest);
        }
        var layers = new List<ExpectedLayer>();
        for (int l = 0; l < 4; l++)
        {
            var w = original.Graph.Initializer(l == 0 ? "W" : $"W{l}")!.Span<float>().ToArray();
            var b = original.Graph.Initializer(l == 0 ? "B" : $"B{l}")!.Span<float>().ToArray();
            int wI = integerBits ?? AutoIntegerBits(w), bI = integerBits ?? AutoIntegerBits(b);
            int fw = 16 - wI, fb = 16 - bI, fa = 10 + fw;
            Assert.True(fa >= fb, "the bias has more fraction bits than the accumulator: this computation assumes it shifts left");
            int outputs = b.Length, depth = w.Length / outputs;
            BigInteger calibratedInput = new(Math.Ceiling(largest.Of(layerInputs[l]) * 1024));
            BigInteger worst = 0, calibrated = 0;
            for (int m = 0; m < outputs; m++)
            {
                BigInteger weightSum = 0;
                for (int k = 0; k < depth; k++)
                {
                    weightSum += BigInteger.Abs(new BigInteger(Math.Floor(Math.ScaleB(w[k * outputs + m], fw))));
                }
                var bias = BigInteger.Abs(new BigInteger(Math.Floor(Math.ScaleB(b[m], fb)))) << (fa - fb);
                worst = BigInteger.Max(worst, weightSum * 32768 + bias);
                calibrated = BigInteger.Max(calibrated, weightSum * calibratedInput + bias);
            }
            int worstBits = (int)worst.GetBitLength() + 1, calibratedBits = (int)calibrated.GetBitLength() + 1;
            layers.Add(new ExpectedLayer(new FixedPointType(16, wI), new FixedPointType(16, bI), worstBits, calibratedBits, new FixedPointType(worstBits, worstBits - fa)));
        }
        return layers;
    }

    private static int AutoIntegerBits(float[] values) => (int)Math.Floor(Math.Log2(values.Max(v => Math.Abs((double)v)))) + 2;

    /// <summary>The largest magnitude each of some values reaches over every run it observes.</summary>
    private sealed class LargestMagnitudes(IEnumerable<string> names) : IValueObserver
    {
        private readonly Dictionary<string, double> largest = names.ToDictionary(n => n, _ => 0.0);

        public double Of(string name) => largest[name];

        public void Observe(string name, IValue value)
        {
            if (largest.TryGetValue(name, out double known) && value is Tensor tensor)
            {
                foreach (float v in tensor.Span<float>())
                {
                    known = Math.Max(known, Math.Abs(v));
                }
                largest[name] = known;
            }
        }
    }
}
