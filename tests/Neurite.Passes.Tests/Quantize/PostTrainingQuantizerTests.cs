using System.Globalization;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize;

/// <summary>
/// Post-training quantisation of the zoo's Fashion-MNIST models, calibrated on the 6,000-image
/// calibration slice and scored on the whole 10,000-image test set, against the float model's
/// accuracy: the drops the quantisation issue allows, and an integer-only graph.
/// </summary>
public sealed class PostTrainingQuantizerTests(ITestOutputHelper output)
{
    public static TheoryData<string, CalibrationMethod> Int8Cases() => new()
    {
        { "zoo/fmnist_lenet5.onnx", CalibrationMethod.Percentile },
        { "zoo/fmnist_lenet5.onnx", CalibrationMethod.Entropy },
        { "zoo/fmnist_mlp.onnx", CalibrationMethod.Percentile },
        { "zoo/fmnist_mlp.onnx", CalibrationMethod.Entropy },
        { "zoo/fmnist_cnn_bn_maxpool.onnx", CalibrationMethod.Percentile },
        { "zoo/fmnist_cnn_bn_maxpool.onnx", CalibrationMethod.Entropy },
        { "zoo/fmnist_resnet8.onnx", CalibrationMethod.Percentile },
        { "zoo/fmnist_resnet8.onnx", CalibrationMethod.Entropy },
    };

    [Theory]
    [MemberData(nameof(Int8Cases))]
    public void Int8PerChannelLosesAtMostAThirdOfAPoint(string path, CalibrationMethod method)
    {
        var (floatAccuracy, quantisedAccuracy, result) = QuantiseAndScore(path, method, new QuantizationOptions());
        Assert.Empty(result.FloatNodes);
        Assert.True(floatAccuracy - quantisedAccuracy <= 0.003,
            $"int8 ({method}) accuracy {quantisedAccuracy:P2} is more than 0.3 pp below float {floatAccuracy:P2}");
    }

    [Fact]
    public void Int4WeightsLoseAtMostOneAndAHalfPointsOnLeNet()
    {
        var (floatAccuracy, quantisedAccuracy, _) = QuantiseAndScore("zoo/fmnist_lenet5.onnx", CalibrationMethod.Percentile, new QuantizationOptions(WeightBits: 4));
        Assert.True(floatAccuracy - quantisedAccuracy <= 0.015,
            $"int4-weight accuracy {quantisedAccuracy:P2} is more than 1.5 pp below float {floatAccuracy:P2}");
    }

    [Fact]
    public void QuantisedLeNetIsIntegerOnlyBetweenItsInputAndOutput()
    {
        var (_, _, result) = QuantiseAndScore("zoo/fmnist_lenet5.onnx", CalibrationMethod.MinMax, new QuantizationOptions(), score: false);
        var ops = result.Model.Graph.Nodes.Select(n => n.QualifiedOpType).ToList();
        output.WriteLine(string.Join(", ", ops));
        Assert.Equal("QuantizeLinear", ops[0]);
        Assert.Equal("DequantizeLinear", ops[^1]);
        Assert.All(ops.Skip(1).SkipLast(1), op => Assert.Contains(op, new[] { "neurite.QConv", "neurite.QGemm", "Flatten" }));
        var errors = GraphVerifier.Verify(result.Model).Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(5, result.Layers.Count(l => l.WeightBits == 8));
        Assert.Equal(4, result.Layers.Count(l => l.FusedActivation == "Relu"));
    }

    private (double Float, double Quantised, QuantizationResult Result) QuantiseAndScore(string path, CalibrationMethod method, QuantizationOptions options, bool score = true)
    {
        var (model, result) = ZooQuantization.Quantise(path, method, options);
        if (!score)
        {
            return (0, 0, result);
        }
        var entry = ZooQuantization.Entry(path);
        var test = DataSet.FashionMnist;
        double before = ClassificationAccuracy.Score(model, entry, test, 0, test.Count);
        double after = ClassificationAccuracy.Score(result.Model, entry, test, 0, test.Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path} w{options.WeightBits}a{options.ActivationBits} {(options.PerChannel ? "per-channel" : "per-tensor")} {method}: float {before:P2}, quantised {after:P2} ({(after - before) * 100:+0.00;-0.00} pp)"));
        return (before, after, result);
    }
}

/// <summary>
/// A global max pool on quantised values stays on the integers as the MaxPool over the whole
/// plane (ONNX's GlobalMaxPool takes floats only): the same element is picked, so the integer
/// graph equals the float one up to the rounding of the layer before, and the QDQ export
/// (an int8 MaxPool) runs in ONNX Runtime with the interpreter's bits.
/// </summary>
public sealed class GlobalMaxPoolQuantizationTests
{
    [Fact]
    public void GlobalMaxPoolBecomesAnIntegerMaxPoolOverThePlane()
    {
        var b = new GraphBuilder("conv-globalmax");
        var x = b.Input("x", TestGraphs.Type("f32[N,2,6,5]"));
        var conv = b.Node("Conv", [x, b.Initializer("w", TestGraphs.Random(1, [3, 2, 3, 3])), b.Initializer("b", TestGraphs.Random(2, [3]))],
            new() { ["pads"] = new long[] { 1, 1, 1, 1 } });
        var pooled = b.Node("GlobalMaxPool", [b.Node("Relu", [conv])], nodeName: "pool");
        b.Output(b.Node("Gemm", [b.Node("Flatten", [pooled]), b.Initializer("fc", TestGraphs.Random(3, [4, 3])), b.Initializer("c", TestGraphs.Random(4, [4]))],
            new() { ["transB"] = 1 }));
        var model = TestGraphs.Model(b, opset: 13);
        var calibrator = new Calibrator(model);
        calibrator.Observe(new Dictionary<string, IValue> { ["x"] = TestGraphs.Random(5, [32, 2, 6, 5]) });
        var result = PostTrainingQuantizer.Quantize(model, calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax)), new QuantizationOptions());

        Assert.Empty(result.FloatNodes);
        var pool = result.Model.Graph.Nodes.Single(n => n.Name == "pool");
        Assert.Equal("MaxPool", pool.OpType);
        Assert.Equal([6L, 5L], pool.Attribute("kernel_shape")!.AsInts().ToArray());

        var input = TestGraphs.Random(6, [8, 2, 6, 5]);
        var ours = new Interpreter(result.Model).Run(input);
        var exact = new Interpreter(model).Run(input);
        // The integer graph: within a few steps of the logits' grid of the float graph (two layers of rounding).
        var dequantize = result.Model.Graph.Producer(result.Model.Graph.Outputs[0].Name)!;
        float step = result.Model.Graph.Initializers.Single(i => i.Name == dequantize.Inputs[1]).Value.Span<float>()[0];
        Assert.True(TensorComparison.MaxAbsDifference(exact, ours) <= 4 * step, $"{TensorComparison.MaxAbsDifference(exact, ours)} vs step {step}");
        using var reference = new OnnxRuntimeReference(Frontend.Onnx.OnnxExporter.ToBytes(QdqExport.Convert(result.Model)));
        var theirs = reference.Run(new Dictionary<string, Tensor> { ["x"] = input }).Values.Single();
        Assert.True(TensorComparison.MaxAbsDifference(theirs, ours) <= step * 1.0001, $"ONNX Runtime is {TensorComparison.MaxAbsDifference(theirs, ours)} from the interpreter (step {step})");
    }
}

/// <summary>
/// An average pool becomes a depthwise QConv only where that window computes the same average:
/// a dilated pool (opset 19) skips inputs the plain window would read, so it stays float.
/// </summary>
public sealed class AveragePoolQuantizationTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void OnlyUndilatedAveragePoolsBecomeIntegerWindows(long dilation, bool integer)
    {
        var b = new GraphBuilder("conv-avgpool");
        var x = b.Input("x", TestGraphs.Type("f32[N,2,9,9]"));
        var conv = b.Node("Conv", [x, b.Initializer("w", TestGraphs.Random(1, [3, 2, 3, 3])), b.Initializer("b", TestGraphs.Random(2, [3]))]);
        b.Output(b.Node("AveragePool", [b.Node("Relu", [conv])], new() { ["kernel_shape"] = new long[] { 2, 2 }, ["dilations"] = new[] { dilation, dilation } }, nodeName: "pool"));
        var model = TestGraphs.Model(b, opset: 19);
        var calibrator = new Calibrator(model);
        calibrator.Observe(new Dictionary<string, IValue> { ["x"] = TestGraphs.Random(5, [16, 2, 9, 9]) });
        var result = PostTrainingQuantizer.Quantize(model, calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax)), new QuantizationOptions());

        Assert.Equal(integer ? "neurite.QConv" : "AveragePool", result.Model.Graph.Nodes.Single(n => n.Name == "pool").QualifiedOpType);
        var input = TestGraphs.Random(6, [4, 2, 9, 9]);
        var exact = new Interpreter(model).Run(input);
        var ours = new Interpreter(result.Model).Run(input);
        double largest = exact.Span<float>().ToArray().Max(v => Math.Abs(v));
        // int8 of a ReLU'd conv: within a few hundredths of the range of the float values.
        Assert.True(TensorComparison.MaxAbsDifference(exact, ours) <= 0.02 * largest, $"{TensorComparison.MaxAbsDifference(exact, ours)} of {largest}");
    }
}
