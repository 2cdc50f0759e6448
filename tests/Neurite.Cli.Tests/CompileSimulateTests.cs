using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary><c>neurite compile</c> and <c>neurite simulate</c> as a user runs them: real exit codes, files and diagnostics.</summary>
public sealed class CompileSimulateTests
{
    private static string LeNet => SharedData.Path("models", "zoo", "fmnist_lenet5.onnx");

    [Fact]
    public void CompileThenSimulateMatchesTheInterpreter()
    {
        using var folder = new TemporaryFolder();
        string artifact = folder.File("lenet-c");
        var compile = NeuriteProcess.Run("compile", LeNet, "--target", "cpu", "-o", artifact, "--dim", "N=2");
        Assert.True(compile.ExitCode == 0, compile.Stderr);
        Assert.Contains("arena_bytes", compile.Stdout);
        Assert.True(File.Exists(Path.Combine(artifact, "model.c")));

        var model = OnnxImporter.Load(LeNet);
        var images = ModelInputs.For(model, "zoo/fmnist_lenet5.onnx", batch: 2)["input"];
        Npy.Write(images, folder.File("images.npy"));
        var simulate = NeuriteProcess.Run("simulate", artifact, "--input", $"input={folder.File("images.npy")}", "--output-dir", folder.File("out"));
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        Assert.Contains("cpu simulator", simulate.Stdout);
        var logits = Npy.Read(folder.File("out/logits.npy"));
        Assert.True(TensorComparison.MaxAbsDifference(new Interpreter(model).Run(images), logits) <= 1e-5);
    }

    [Fact]
    public void SimulateComparesWithTheInterpretersOutputFiles()
    {
        using var folder = new TemporaryFolder();
        Assert.Equal(0, NeuriteProcess.Run("compile", LeNet, "-o", folder.File("a"), "--dim", "N=2").ExitCode);
        var run = NeuriteProcess.Run("run", LeNet, "--random", "9", "--dim", "N=2", "--output-dir", folder.File("reference"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var simulate = NeuriteProcess.Run("simulate", folder.File("a"), "--random", "9", "--compare", folder.File("reference"));
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        var row = simulate.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("logits", StringComparison.Ordinal) && l.Contains("logits.npy", StringComparison.Ordinal));
        double difference = double.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(difference <= 1e-5, row);
    }

    [Fact]
    public void SimulateWithRandomInputsUsesTheCompiledShapes()
    {
        using var folder = new TemporaryFolder();
        Assert.Equal(0, NeuriteProcess.Run("compile", LeNet, "-o", folder.File("a"), "--dim", "N=3").ExitCode);
        var simulate = NeuriteProcess.Run("simulate", folder.File("a"), "--random", "5");
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        Assert.Contains("f32[3, 10]", simulate.Stdout);
    }

    [Fact]
    public void TheLibraryCompilesLoadsAndRunsAnArtifact()
    {
        using var folder = new TemporaryFolder();
        var model = NeuriteModel.Load(LeNet);
        var artifact = model.Compile(folder.File("lenet-c"), "cpu", Backends.TargetOptions.Default.WithDimension("N", 3));
        Assert.Equal("fmnist_lenet5.onnx", artifact.Manifest.Source.SourceName);
        Assert.Equal(Backends.ContentHash.OfFile(LeNet), artifact.Manifest.Source.SourceSha256);
        using var native = NeuriteModel.LoadArtifact(folder.File("lenet-c"));
        var images = ModelInputs.For(model.Model, "zoo/fmnist_lenet5.onnx", batch: 3)["input"];
        var logits = native.Run(new Dictionary<string, Tensor> { ["input"] = images })["logits"];
        Assert.True(TensorComparison.MaxAbsDifference(model.Run(images), logits) <= 1e-5);
    }

    [Fact]
    public void SimulatingAFolderWithoutManifestExitsWith2()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("simulate", folder.Path, "--random", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no manifest.json", result.Stderr);
        Assert.False(result.ShowsStackTrace);
    }

    [Fact]
    public void SimulatingACorruptManifestExitsWith2()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("manifest.json"), "{\"format\": 3}");
        var result = NeuriteProcess.Run("simulate", folder.Path, "--random", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("field 'format'", result.Stderr);
        Assert.False(result.ShowsStackTrace);
    }

    [Fact]
    public void CompilingForAnUnknownTargetExitsWith2AndWritesNothing()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("compile", LeNet, "--target", "abacus", "-o", folder.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'abacus' is not a Neurite target", result.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void CompilingAModelTheTargetRefusesNamesTheNodeAndWritesNothing()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("compile", SharedData.Path("models", "quantized", "mnist_ptq_qdq_fpgai.onnx"), "-o", folder.File("out"));
        Assert.Equal(2, result.ExitCode);
        // The CPU target emits QuantizeLinear and DequantizeLinear (for quantised graphs); this QDQ model also casts, which it does not.
        Assert.Contains("node '/conv1/Cast' (Cast): error: the CPU target cannot emit Cast", result.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        Assert.False(result.ShowsStackTrace);
    }

    [Fact]
    public void ABadDimIsDiagnosed()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("compile", LeNet, "-o", folder.File("out"), "--dim", "N=zero");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--dim 'N=zero'", result.Stderr);
    }
}
