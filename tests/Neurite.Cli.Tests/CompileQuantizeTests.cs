using Neurite.Backends;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary>
/// <c>neurite compile --quantize</c>: the quantiser runs inside the compile pipeline, the CPU target
/// emits the integer graph as integer-only C, and the artifact computes its bits; a fixed-point
/// graph, which the CPU target has no kernels for, is refused node by node before anything is written.
/// </summary>
public sealed class CompileQuantizeTests
{
    [Fact]
    public void TheTargetGetsTheIntegerGraphAndTheManifestRecordsTheQuantisation()
    {
        using var folder = new TemporaryFolder();
        string artifact = folder.File("lenet-int8");
        var model = NeuriteModel.Load(QuantizeCommandTests.LeNet);
        var calibration = SampleData.FromFiles(model.Model, [QuantizeCommandTests.CalibrationImages], new PixelPreprocessing(1 / 255.0)).Take(200);
        var library = Compilation.Quantize(model, new QuantizationRequest(calibration, new QuantizeSettings()));
        var (quantised, passes) = (library.Model.Model, library.Passes);
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

    /// <summary>
    /// The CPU target has no fixed-point kernels (a fixed-point emitter comes with the FPGA target):
    /// its check refuses every fixed-point node by name and op, exit code 2, and no artifact folder
    /// appears.
    /// </summary>
    [Fact]
    public void TheCpuTargetRefusesTheFixedPointNodesByNameAndWritesNothing()
    {
        using var folder = new TemporaryFolder();
        Frontend.TensorFiles.Npy.Write(Tensor.Create(JetTaggerInputs.Uniform(100, seed: 1), 100, JetTaggerInputs.Features), folder.File("calib.npy"));
        string artifact = folder.File("jet-fixed");
        var result = NeuriteProcess.Run("compile", SharedData.Path("models", "hls4ml", "three_layer_keras.onnx"), "--target", "cpu", "-o", artifact,
            "--quantize", "--calib", folder.File("calib.npy"), "--activations", "fixed<16,6>");
        Assert.Equal(2, result.ExitCode);
        Assert.False(result.ShowsStackTrace);
        Assert.Equal("", result.Stdout);
        string Refused(string node, string op) => $"node '{node}' (neurite.{op}): error: the CPU target cannot emit neurite.{op} [cpu.unsupported]";
        Assert.Equal(
            [
                Refused("input_1_0/to_fixed", "ToFixed"),
                Refused("_class__keras_layers_core_Dense__", "FixedGemm"),
                Refused("_class__keras_layers_core_Dense__1", "FixedGemm"),
                Refused("_class__keras_layers_core_Dense__2", "FixedGemm"),
                Refused("_class__keras_layers_core_Dense__3", "FixedGemm"),
                Refused("biased_tensor_name3_float/from_fixed", "FromFixed"),
            ],
            result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        Assert.Equal([folder.File("calib.npy")], Directory.GetFileSystemEntries(folder.Path));
    }
}
