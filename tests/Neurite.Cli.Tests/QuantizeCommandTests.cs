using System.Globalization;
using System.Text.Json;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Cli.Tests;

/// <summary>
/// <c>neurite quantize</c> as a user runs it on the zoo LeNet-5 with real Fashion-MNIST data:
/// calibrated on the first 1,000 images of the calibration slice (training images), scored on
/// test images, never the same ones. The written models are checked by running them (ONNX
/// Runtime for the QDQ export, the interpreter for the Neurite language), the report's numbers
/// against values computed here independently.
/// </summary>
public sealed class QuantizeCommandTests(ITestOutputHelper output)
{
    private const string LeNetPath = "zoo/fmnist_lenet5.onnx";
    private const int EvaluationImages = 1000;

    internal static string LeNet => SharedData.Path("models", "zoo", "fmnist_lenet5.onnx");
    internal static string CalibrationImages => SharedData.Path("datasets", "fashion-mnist", "fmnist-calib6k-images-idx3-ubyte.gz");
    internal static string TestImages => SharedData.Path("datasets", "fashion-mnist", "t10k-images-idx3-ubyte.gz");
    internal static string TestLabels => SharedData.Path("datasets", "fashion-mnist", "t10k-labels-idx1-ubyte.gz");

    [Fact]
    public void TheReportsNumbersAreWhatTheWrittenModelEarns()
    {
        using var folder = new TemporaryFolder();
        string program = folder.File("lenet-int8.nrt"), report = folder.File("report.json");
        var result = NeuriteProcess.Run("quantize", LeNet, "--calib", CalibrationImages, "--scale", "1/255",
            "--eval", TestImages, "--labels", TestLabels, "--eval-count", $"{EvaluationImages}", "-o", program, "--report", report);
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(["/0/Conv", "/2/AveragePool", "/3/Conv", "/5/AveragePool", "/7/Gemm", "/9/Gemm", "/11/Gemm"], layers.Select(l => l.GetProperty("node").GetString()));
        foreach (var layer in layers)
        {
            // int8 on LeNet-5 keeps every layer's output far above 20 dB (measured: 35 to 45 dB).
            double sqnr = layer.GetProperty("sqnrDb").GetDouble();
            Assert.True(sqnr > 20, $"{layer.GetProperty("node")}: SQNR {sqnr} dB");
            Assert.Equal(8, layer.GetProperty("activationBits").GetInt32());
            Assert.Equal(layer.GetProperty("op").GetString() is "Conv" or "Gemm" ? 8 : 0, layer.GetProperty("weightBits").GetInt32());
            var range = layer.GetProperty("range");
            Assert.True(range.GetProperty("min").GetDouble() <= 0 && range.GetProperty("max").GetDouble() > 0);
            // The table shows the same figure, to a tenth of a dB.
            Assert.Contains(sqnr.ToString("F1", CultureInfo.InvariantCulture), result.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith(layer.GetProperty("node").GetString()! + " ", StringComparison.Ordinal)));
        }
        Assert.Equal("evaluation", root.GetProperty("sqnr").GetProperty("data").GetString());
        Assert.Equal(EvaluationImages, root.GetProperty("sqnr").GetProperty("samples").GetInt32());
        Assert.Equal(1000, root.GetProperty("options").GetProperty("calibrationSamples").GetInt32());

        // LeNet-5 has 61,706 float parameters: 246,824 bytes. int8 weights (int32 biases) are a quarter and a little.
        var bytes = root.GetProperty("weightBytes");
        Assert.Equal(61_706 * 4, bytes.GetProperty("float").GetInt64());
        Assert.InRange(bytes.GetProperty("ratio").GetDouble(), 0.25, 0.26);

        var entry = ZooQuantization.Entry(LeNetPath);
        var floatModel = OnnxImporter.Load(LeNet);
        var quantised = NeuriteModel.Load(program);
        var accuracy = root.GetProperty("accuracy");
        double floatAccuracy = ClassificationAccuracy.Score(floatModel, entry, DataSet.FashionMnist, 0, EvaluationImages);
        double quantisedAccuracy = ClassificationAccuracy.Score(quantised.Model, entry, DataSet.FashionMnist, 0, EvaluationImages);
        Assert.Equal(EvaluationImages, accuracy.GetProperty("samples").GetInt32());
        Assert.Equal(floatAccuracy, accuracy.GetProperty("float").GetDouble());
        Assert.Equal(quantisedAccuracy, accuracy.GetProperty("quantized").GetDouble());
        Assert.Equal((floatAccuracy - quantisedAccuracy) * 100, accuracy.GetProperty("dropPoints").GetDouble(), 9);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"float {floatAccuracy:P2}, quantized {quantisedAccuracy:P2}"), result.Stdout);
        Assert.Contains("weights: 246,824 bytes float", result.Stdout);
        Assert.EndsWith("quantize(weights=int8, activations=int8, per-channel, asymmetric, method=percentile 99.999, calibration=1000 samples)",
            root.GetProperty("passes").EnumerateArray().Last().GetString());
    }

    [Fact]
    public void TheNeuriteLanguageOutputIsTheIntegerGraphTheLibraryMakes()
    {
        using var folder = new TemporaryFolder();
        string program = folder.File("lenet-int4.nrt");
        var result = NeuriteProcess.Run("quantize", LeNet, "--calib", CalibrationImages, "--scale", "1/255", "--calib-count", "500",
            "--weights", "int4", "--per-tensor", "--symmetric", "--method", "mse", "-o", program);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(folder.File("lenet-int4.npz")), "the weights go into the .npz beside the program");

        var model = NeuriteModel.Load(LeNet);
        var settings = new QuantizeSettings { Weights = NumberFormat.Int4, PerChannel = false, SymmetricActivations = true, Method = Passes.Quantize.Calibration.CalibrationMethod.Mse };
        var calibration = SampleData.FromFiles(model.Model, [CalibrationImages], new PixelPreprocessing(1 / 255.0)).Take(500);
        var library = Assert.IsType<IntegerQuantizedModel>(model.Quantize(calibration, settings));
        var readBack = NeuriteModel.Load(program);
        Assert.Contains(readBack.Graph.Nodes, n => n.QualifiedOpType == "neurite.QConv");
        var images = Preprocessing.Batch(ZooQuantization.Entry(LeNetPath), DataSet.FashionMnist, 0, 200, [1, 1, 28, 28]);
        Assert.Equal(library.Model.Run(images).ToArray<float>(), readBack.Run(images).ToArray<float>());
        Assert.All(library.Report!.Layers.Where(l => l.WeightBits > 0), l => Assert.Equal(l.WeightScaleMin, l.WeightScaleMax));
        Assert.All(library.Report.Layers, l => Assert.Equal(0, l.ZeroPoint));
        Assert.Equal("calibration", library.Report.Sqnr.Data);
        Assert.Null(library.Report.Accuracy);
    }

    [Fact]
    public void OnnxRuntimeRunsTheQdqOutputWithinOneStepOfTheIntegerGraph()
    {
        using var folder = new TemporaryFolder();
        string onnx = folder.File("lenet-int8.onnx"), program = folder.File("lenet-int8.nrt");
        foreach (var target in new[] { onnx, program })
        {
            var result = NeuriteProcess.Run("quantize", LeNet, "--calib", CalibrationImages, "--scale", "1/255", "-o", target);
            Assert.True(result.ExitCode == 0, result.Stderr);
        }
        var exported = OnnxImporter.Load(onnx);
        Assert.DoesNotContain(exported.Graph.Nodes, n => n.Domain == OpDomains.Neurite);
        var integer = NeuriteModel.Load(program);
        var dequantize = integer.Graph.Producer("logits")!;
        float step = integer.Graph.Initializers.Single(i => i.Name == dequantize.Inputs[1]).Value.Span<float>()[0];

        using var reference = new OnnxRuntimeReference(onnx);
        var images = Preprocessing.Batch(ZooQuantization.Entry(LeNetPath), DataSet.FashionMnist, 0, EvaluationImages, [1, 1, 28, 28]);
        var theirs = reference.Run(new Dictionary<string, Tensor> { ["input"] = images })["logits"];
        var ours = integer.Run(images);
        double worst = TensorComparison.MaxAbsDifference(theirs, ours);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |ONNX Runtime - interpreter| = {worst:G4} on {EvaluationImages} images, output step {step:G4}"));
        Assert.True(worst <= step * 1.0001, $"ONNX Runtime's output differs by {worst}, more than one output step ({step})");
    }

    [Fact]
    public void AnAccuracyBudgetKeepsTheMostSensitiveLayersAtInt8Weights()
    {
        using var folder = new TemporaryFolder();
        string report = folder.File("mixed.json");
        // Calibrated on 1,000 images, all-int4 loses 0.40 pp on the first 2,000 test images; the budget asks for less.
        var result = NeuriteProcess.Run("quantize", LeNet, "--calib", CalibrationImages, "--scale", "1/255", "--weights", "int4",
            "--eval", TestImages, "--labels", TestLabels, "--eval-count", "2000", "--accuracy-budget", "0.2", "-o", folder.File("mixed.onnx"), "--report", report);
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var mixed = json.RootElement.GetProperty("mixedPrecision");
        var accuracy = json.RootElement.GetProperty("accuracy");
        Assert.True(mixed.GetProperty("budgetMet").GetBoolean());
        Assert.True(mixed.GetProperty("floatAccuracy").GetDouble() - mixed.GetProperty("allLowAccuracy").GetDouble() > 0.002, "all-int4 is within the budget: nothing to test");
        var high = mixed.GetProperty("highPrecisionLayers").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.NotEmpty(high);
        foreach (var layer in json.RootElement.GetProperty("layers").EnumerateArray().Where(l => l.GetProperty("weightBits").GetInt32() > 0))
        {
            bool kept = high.Contains(layer.GetProperty("node").GetString());
            Assert.Equal(kept ? 8 : 4, layer.GetProperty("weightBits").GetInt32());
            Assert.Equal(kept, layer.GetProperty("highPrecision").GetBoolean());
        }
        Assert.True(accuracy.GetProperty("dropPoints").GetDouble() <= 0.2);
        Assert.Equal(mixed.GetProperty("accuracy").GetDouble(), accuracy.GetProperty("quantized").GetDouble());
        Assert.Equal(5, mixed.GetProperty("sensitivities").GetArrayLength());
        Assert.Contains("kept at int8 weights (* above): ", result.Stdout);
    }
}
