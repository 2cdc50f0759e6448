using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

public sealed class OptimizeCommandTests
{
    private static string ResNet8 => SharedData.Path("models", "zoo", "fmnist_resnet8.onnx");

    [Fact]
    public void WritesTheOptimisedModelTheTimingTableAndTheIrDumps()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("r8.onnx"), dumps = folder.File("ir");
        var result = NeuriteProcess.Run("optimize", ResNet8, "-o", output, "--dump-ir", dumps, "--verify-each");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("fold-batchnorm", result.Stdout);
        Assert.Contains("total", result.Stdout);
        Assert.Contains("30 -> 17 nodes", result.Stdout);
        var original = OnnxImporter.Load(ResNet8);
        var optimised = OnnxImporter.Load(output);
        Assert.DoesNotContain(optimised.Graph.Nodes, n => n.OpType == "BatchNormalization");
        var inputs = ModelInputs.For(original, "zoo/fmnist_resnet8.onnx");
        var expected = new Interpreter(original).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        var actual = new Interpreter(optimised).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        Assert.Null(TensorComparison.Compare(expected.Values.Single(), actual.Values.Single(), 1e-5, 1e-5));
        // The input and 17 passes, each a Neurite program (weights in the .npz beside it), and pipeline.txt.
        Assert.Equal(18, Directory.GetFiles(dumps, "*.nrt").Length);
        Assert.True(File.Exists(Path.Combine(dumps, "09-fold-batchnorm.nrt")));
        Assert.True(File.Exists(Path.Combine(dumps, DumpFolderReport)));
        // The last dump is the optimised model itself: it reads back and computes the same.
        string last = Directory.GetFiles(dumps, "*.nrt").Order(StringComparer.Ordinal).Last();
        var dumped = ModelFiles.Load(last);
        Assert.Equal(optimised.Graph.Nodes.Length, dumped.Graph.Nodes.Length);
        var fromDump = new Interpreter(dumped).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        Assert.Null(TensorComparison.Compare(actual.Values.Single(), fromDump.Values.Single(), 0, 0));
    }

    private const string DumpFolderReport = "pipeline.txt";

    [Fact]
    public void WritesTheNeuriteLanguageWhenTheOutputEndsInNrt()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("r8.nrt");
        var result = NeuriteProcess.Run("optimize", ResNet8, "-o", output);
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(folder.File("r8.npz")));
        var original = OnnxImporter.Load(ResNet8);
        var optimised = ModelFiles.Load(output);
        Assert.Contains(optimised.Graph.Nodes, n => n.OpType == "FusedConv");
        var inputs = ModelInputs.For(original, "zoo/fmnist_resnet8.onnx").ToDictionary(p => p.Key, p => (IValue)p.Value);
        Assert.Null(TensorComparison.Compare(new Interpreter(original).Run(inputs).Values.Single(), new Interpreter(optimised).Run(inputs).Values.Single(), 1e-5, 1e-5));
    }

    [Fact]
    public void TheOnnxPipelineWritesAModelOnnxRuntimeRunsWithTheSameResults()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("r8.onnx");
        var result = NeuriteProcess.Run("optimize", ResNet8, "-o", output, "--passes", "onnx");
        Assert.Equal(0, result.ExitCode);
        var inputs = ModelInputs.For(OnnxImporter.Load(ResNet8), "zoo/fmnist_resnet8.onnx");
        using var before = new OnnxRuntimeReference(ResNet8);
        using var after = new OnnxRuntimeReference(output);
        var expected = before.Run(inputs).Values.Single();
        var actual = after.Run(inputs).Values.Single();
        Assert.Null(TensorComparison.Compare(expected, actual, 1e-5, 1e-5));
    }

    [Theory]
    [InlineData("--passes", "fold-constants,no-such-pass", "out.onnx", "unknown pass 'no-such-pass'")]
    [InlineData("--passes", "", "out.onnx", "no passes named")]
    [InlineData("--passes", "default", "out.txt", "writes .onnx or .nrt files")]
    public void BadArgumentsGiveADiagnosticExitCodeTwoAndNoFile(string option, string value, string outputName, string message)
    {
        using var folder = new TemporaryFolder();
        string output = folder.File(outputName);
        var result = NeuriteProcess.Run("optimize", ResNet8, "-o", output, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.False(result.ShowsStackTrace);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void ListNamesEveryPassAndPipeline()
    {
        var result = NeuriteProcess.Run("optimize", "--list");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("fold-batchnorm", result.Stdout);
        Assert.Contains("default: fold-constants,", result.Stdout);
        Assert.Contains("onnx: ", result.Stdout);
    }
}
