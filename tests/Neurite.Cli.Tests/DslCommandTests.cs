using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary>The commands on Neurite programs (.nrt): print, export, inspect, run, and the diagnostics of a bad one.</summary>
public sealed class DslCommandTests
{
    private static string LeNetOnnx => SharedData.Path("models", "zoo", "fmnist_lenet5.onnx");
    private static string Sample(params string[] parts) => Path.Combine([SharedData.RepositoryRoot, "samples", .. parts]);

    [Fact]
    public void PrintWritesTheProgramToStdout()
    {
        var result = NeuriteProcess.Run("print", Sample("bars", "bars.onnx"));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("model bars(image: f32[N, 1, 8, 8]) -> (probabilities: f32[N, 2]) {\n  opset ai.onnx 17\n", result.Stdout);
        Assert.Contains("  line_detectors = Conv(image, line_kernels, detector_bias, kernel_shape=[3, 3], pads=[1, 1, 1, 1])\n", result.Stdout);
        Assert.Contains("  param line_kernels: f32[2, 1, 3, 3] = [-1.0, -1.0, -1.0, 2.0, 2.0, 2.0, -1.0, -1.0, -1.0, -1.0, 2.0, -1.0, -1.0, 2.0, -1.0, -1.0, 2.0, -1.0]\n", result.Stdout);
        // Small tensors are inline, so nothing is left to a side file.
        Assert.Contains("param readout_weights: f32[2, 2] = [1.0, -1.0, -1.0, 1.0]", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void PrintToAFileWritesTheSideArchiveAndReadsBackToTheSameOutputs()
    {
        using var folder = new TemporaryFolder();
        string program = folder.File("lenet.nrt");
        var result = NeuriteProcess.Run("print", LeNetOnnx, "-o", program);
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(folder.File("lenet.npz")), "the side archive was not written");
        Assert.Contains("params \"lenet.npz\"", File.ReadAllText(program));

        string exported = folder.File("lenet.onnx");
        var export = NeuriteProcess.Run("export", program, "-o", exported);
        Assert.Equal(0, export.ExitCode);
        var image = Tensor.Create(Enumerable.Range(0, 784).Select(i => (i % 29) / 29f).ToArray(), 1, 1, 28, 28);
        using var original = new OnnxRuntimeReference(LeNetOnnx, optimize: false);
        using var roundTrip = new OnnxRuntimeReference(exported, optimize: false);
        var inputs = new Dictionary<string, Tensor> { ["input"] = image };
        Assert.Equal(original.Run(inputs)["logits"].ToArray<float>(), roundTrip.Run(inputs)["logits"].ToArray<float>());
    }

    [Fact]
    public void ExportTurnsAHandWrittenProgramIntoOnnx()
    {
        using var folder = new TemporaryFolder();
        string exported = folder.File("resnet.onnx");
        var result = NeuriteProcess.Run("export", Sample("resnet", "resnet.nrt"), "-o", exported);
        Assert.Equal(0, result.ExitCode);
        var model = OnnxImporter.Load(exported);
        Assert.Equal(["Conv", "Relu", "Conv", "Relu", "Conv", "BatchNormalization", "Add", "Relu"], model.Graph.Nodes.Take(8).Select(n => n.OpType));
    }

    [Fact]
    public void InspectAndRunTakePrograms()
    {
        var inspect = NeuriteProcess.Run("inspect", Sample("lenet5", "lenet5.nrt"));
        Assert.Equal(0, inspect.ExitCode);
        // LeNet-5's size does not depend on how it is written: the same counts as the ONNX zoo model.
        Assert.Contains("parameters  61,706", inspect.Stdout);
        Assert.Contains("MACs        416,520 per sample", inspect.Stdout);

        var run = NeuriteProcess.Run("run", Sample("bars", "bars.nrt"), "--input", $"image={Sample("bars", "images.npy")}",
            "--labels", Sample("bars", "labels.npy"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("accuracy: 4 of 4 (100.00 %)", run.Stdout);
    }

    [Fact]
    public void ABadProgramGivesEveryDiagnosticAndExitCode2()
    {
        using var folder = new TemporaryFolder();
        string program = folder.File("bad.nrt");
        File.WriteAllText(program, """
            model bad(x: f32[N, 4]) -> (y: f32[N, 3]) {
              param w: f32[3, 4] = random(seed=1)
              h = x |> dense(w, b) |> rleu
              y = Softmax(h, axes=1)
            }
            """);
        foreach (string command in new[] { "inspect", "run", "export", "print" })
        {
            string[] arguments = command == "export" ? [command, program, "-o", folder.File("bad.onnx")] : [command, program];
            var result = NeuriteProcess.Run(arguments);
            Assert.Equal(2, result.ExitCode);
            Assert.False(result.ShowsStackTrace, result.Stderr);
            Assert.Equal(
                $"{program}:3:21: error: 'b' is not defined: no input, parameter or earlier assignment has that name [dsl.undefined]\n" +
                $"{program}:3:27: error: unknown op 'rleu': expected an ai.onnx op or a layer helper (did you mean 'Relu'?) [dsl.op]\n" +
                $"{program}:4:18: error: Softmax has no attribute 'axes'; it takes axis (did you mean 'axis'?) [dsl.attribute]\n",
                result.Stderr.ReplaceLineEndings("\n"));
        }
        Assert.False(File.Exists(folder.File("bad.onnx")), "export wrote a file for a program with errors");
    }

    [Fact]
    public void PrintRefusesAnOutputThatIsNotAProgram()
    {
        var result = NeuriteProcess.Run("print", Sample("bars", "bars.onnx"), "-o", "out.txt");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'out.txt': print writes Neurite programs; name the output *.nrt", result.Stderr);
    }
}
