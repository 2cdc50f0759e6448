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
