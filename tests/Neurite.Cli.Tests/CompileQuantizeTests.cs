using Neurite.Backends;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary><c>neurite compile --quantize</c>: the quantiser runs inside the compile pipeline, the CPU target emits the integer graph as integer-only C, and the artifact computes its bits.</summary>
public sealed class CompileQuantizeTests
{
    [Fact]
    public void TheTargetGetsTheIntegerGraphAndTheManifestRecordsTheQuantisation()
    {
        using var folder = new TemporaryFolder();
        string artifact = folder.File("lenet-int8");
        var model = NeuriteModel.Load(QuantizeCommandTests.LeNet);
        var calibration = SampleData.FromFiles(model.Model, [QuantizeCommandTests.CalibrationImages], new PixelPreprocessing(1 / 255.0)).Take(200);
        var (quantised, passes) = Compilation.Quantize(model, new QuantizationRequest(calibration, new QuantizeSettings()));
        Assert.Contains(quantised.Graph.Nodes, n => n.QualifiedOpType == "neurite.QConv");
        Assert.Equal("quantize(weights=int8, activations=int8, per-channel, asymmetric, method=percentile 99.999, calibration=200 samples)", passes[^1]);
        Assert.Contains("fold-batchnorm", passes);
        Assert.DoesNotContain("fuse-activations", passes);

        var result = NeuriteProcess.Run("compile", QuantizeCommandTests.LeNet, "--target", "cpu", "-o", artifact,
            "--quantize", "--calib", QuantizeCommandTests.CalibrationImages, "--scale", "1/255", "--calib-count", "200");
        Assert.False(result.ShowsStackTrace);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var manifest = Artifact.Open(artifact).Manifest;
        Assert.Equal(passes, manifest.Source.Passes);
        using var native = NeuriteModel.LoadArtifact(artifact);
        var interpreter = new Interpreter(quantised);
        for (int n = 0; n < 8; n++)
        {
            var image = Preprocessing.Batch(ZooQuantization.Entry("zoo/fmnist_lenet5.onnx"), DataSet.FashionMnist, n, 1, [1, 1, 28, 28]);
            var expected = interpreter.Run(image);
            var actual = native.Run(new Dictionary<string, Tensor> { ["input"] = image })["logits"];
            // Integer-only C: the same integers, dequantised in the interpreter's order, so the same bits.
            Assert.True(TensorComparison.MaxAbsDifference(expected, actual) == 0, $"image {n}: the artifact's logits differ from the integer graph's");
        }
    }
}
