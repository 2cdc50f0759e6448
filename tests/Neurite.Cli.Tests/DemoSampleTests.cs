using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary>
/// The path scripts/demo.sh takes with the bundled bars sample, as commands: quantise the
/// hand-written program on its calibration images, compile the integer graph for the CPU target,
/// and run the emitted integer C. It must classify the four test images as the float program
/// does and give the interpreter's bits on the integer graph.
/// </summary>
public sealed class DemoSampleTests
{
    private static string Sample(string file) => Path.Combine(SharedData.RepositoryRoot, "samples", "bars", file);

    [Fact]
    public void TheBarsSampleQuantisedToInt8RunsAsIntegerCWithTheInterpretersBits()
    {
        using var folder = new TemporaryFolder();
        string program = folder.File("bars-int8.nrt"), artifact = folder.File("bars-int8-cpu");
        var quantize = NeuriteProcess.Run("quantize", Sample("bars.nrt"), "--calib", Sample("calibration.npy"),
            "--eval", Sample("images.npy"), "--labels", Sample("labels.npy"), "-o", program);
        Assert.True(quantize.ExitCode == 0, quantize.Stderr);
        Assert.Contains("accuracy on 4 labelled samples (images.npy): float 100.00 %, quantized 100.00 %", quantize.Stdout);

        var compile = NeuriteProcess.Run("compile", program, "--target", "cpu", "-o", artifact, "--dim", "N=4");
        Assert.True(compile.ExitCode == 0, compile.Stderr);
        var simulate = NeuriteProcess.Run("simulate", artifact, "--input", $"image={Sample("images.npy")}", "--labels", Sample("labels.npy"), "--output-dir", folder.File("out"));
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        Assert.Contains("accuracy: 4 of 4 (100.00 %)", simulate.Stdout);

        // Between the input's QuantizeLinear and the output's DequantizeLinear only integer ops: the conv, the pool over the plane, the read-out.
        var integerGraph = NeuriteModel.Load(program).Model;
        Assert.Equal(["QuantizeLinear", "neurite.QConv", "MaxPool", "Flatten", "neurite.QGemm", "DequantizeLinear", "Softmax"],
            integerGraph.Graph.Nodes.Select(n => n.QualifiedOpType));
        var expected = new Interpreter(integerGraph).Run(Npy.Read(Sample("images.npy")));
        Assert.Equal(0, TensorComparison.MaxAbsDifference(expected, Npy.Read(folder.File("out/probabilities.npy"))));
    }
}
