using System.Text;
using Neurite.Backends.Cpu;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>The CPU target's contract: deterministic files, nothing written for a model it refuses, checked inputs, a manifest that says what was emitted.</summary>
public sealed class CpuTargetTests
{
    private const string LeNet = "zoo/fmnist_lenet5.onnx";

    [Fact]
    public void CompilingTwiceGivesIdenticalFiles()
    {
        using var folder = new TemporaryFolder();
        var first = CpuCompilation.Compile(LeNet, folder.File("one"), batch: 3);
        var second = CpuCompilation.Compile(LeNet, folder.File("two"), batch: 3);
        var names = Directory.GetFiles(first.Folder.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Makefile", "main.c", "manifest.json", "model.c", "model.h"], names);
        Assert.Equal(names, Directory.GetFiles(second.Folder.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first.Folder.FullName, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second.Folder.FullName, name!))),
                $"{name} differs between two compilations of the same model with the same options");
        }
    }

    [Fact]
    public void ManifestRecordsTheRequestAndTheMemoryPlan()
    {
        using var folder = new TemporaryFolder();
        string path = SharedData.Path("models", LeNet);
        var artifact = CpuCompilation.Compile(LeNet, folder.File("lenet"), batch: 8);
        var manifest = ManifestJson.Read(artifact.PathOf(ArtifactManifest.FileName));
        Assert.Equal("cpu", manifest.Target);
        Assert.Equal(8, manifest.Options.Dimensions["N"]);
        Assert.Equal(CpuTarget.DefaultFlags, manifest.Options.Setting("cflags"));
        Assert.Equal(ContentHash.OfFile(path), manifest.Source.SourceSha256);
        Assert.Equal("input", manifest.Inputs.Single().Name);
        Assert.Equal([8, 1, 28, 28], manifest.Inputs.Single().Shape.ToArray());
        Assert.Equal([8, 10], manifest.Outputs.Single().Shape.ToArray());
        // LeNet-5: 416,520 MACs per image (what `neurite inspect` reports), 61,706 float weights.
        Assert.Equal(8 * 416_520, manifest.Metric("macs"));
        Assert.Equal(61_706 * 4, manifest.Metric("weight_bytes"));
        Assert.True(manifest.Metric("arena_bytes") < manifest.Metric("intermediate_tensor_bytes"),
            $"the planner reuses no memory: arena {manifest.Metric("arena_bytes")} B, tensors {manifest.Metric("intermediate_tensor_bytes")} B");
        Assert.Empty(artifact.VerifyFiles());
    }

    [Fact]
    public void AnUnsupportedOpIsRefusedByNameBeforeAnythingIsWritten()
    {
        var model = BuildModelWith("TopK");
        var problems = CpuCompilation.Target.Check(model, TargetOptions.Default);
        var problem = Assert.Single(problems);
        Assert.Equal("cpu.unsupported", problem.Code);
        Assert.Equal("pick the best", problem.Location?.Node);
        Assert.Equal("TopK", problem.Location?.OpType);

        using var folder = new TemporaryFolder();
        string output = folder.File("refused");
        var error = Assert.Throws<NeuriteException>(() => CpuCompilation.Target.Emit(model, TargetOptions.Default, new ArtifactProvenance("topk", "", []), new DirectoryInfo(output)));
        Assert.Contains("pick the best", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void AFolderOfOtherFilesIsNeverReplaced()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("notes.txt"), "mine");
        var error = Assert.Throws<NeuriteException>(() => CpuCompilation.Compile(LeNet, folder.Path));
        Assert.Equal("artifact.output", error.Diagnostics.Single().Code);
        Assert.Equal("mine", File.ReadAllText(folder.File("notes.txt")));
    }

    [Fact]
    public void AnEarlierArtifactIsReplacedWhole()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("artifact");
        CpuCompilation.Compile(LeNet, output, batch: 1);
        var second = CpuCompilation.Compile(LeNet, output, batch: 2);
        Assert.Equal(2, second.Manifest.Options.Dimensions["N"]);
        Assert.Equal(2, Artifact.Open(output).Manifest.Inputs.Single().Shape[0]);
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void InputsOfTheWrongShapeAreDiagnosed()
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(LeNet, folder.File("artifact"), batch: 2);
        using var simulator = CpuCompilation.Target.Load(artifact);
        var error = Assert.Throws<NeuriteException>(() => simulator.Run(new Dictionary<string, Tensor> { ["input"] = Tensor.Zeros(ElementType.Float32, [3, 1, 28, 28]) }));
        Assert.Contains("f32[2,1,28,28]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAndUnknownInputsAreDiagnosedByName()
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(LeNet, folder.File("artifact"), batch: 1);
        using var simulator = CpuCompilation.Target.Load(artifact);
        var image = Tensor.Zeros(ElementType.Float32, [1, 1, 28, 28]);
        var missing = Assert.Throws<NeuriteException>(() => simulator.Run(new Dictionary<string, Tensor>()));
        Assert.Equal("input.missing", missing.Diagnostics.Single().Code);
        Assert.Contains("'input'", missing.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<NeuriteException>(() => simulator.Run(new Dictionary<string, Tensor> { ["input"] = image, ["extra"] = image }));
        Assert.Equal("input.unknown", unknown.Diagnostics.Single().Code);
        Assert.Contains("'extra'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedSourceFileIsNotLoaded()
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(LeNet, folder.File("artifact"));
        File.AppendAllText(artifact.PathOf("model.c"), "\n/* edited */\n");
        var error = Assert.Throws<NeuriteException>(() => TargetRegistry.Default.Load(artifact.Folder.FullName));
        Assert.Equal("artifact.file", error.Diagnostics.Single().Code);
        Assert.Contains("model.c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHarnessRunsTheModelWithoutDotNet()
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(LeNet, folder.File("artifact"), batch: 2);
        var model = OnnxImporter.Load(SharedData.Path("models", LeNet));
        var inputs = ModelInputs.For(model, LeNet, batch: 2);
        Frontend.TensorFiles.Npy.Write(inputs["input"], folder.File("input.npy"));
        var (exit, messages) = NativeBuild.Run("cc", ["-O2", "-o", folder.File("model"), "main.c", "model.c", "-lm"], artifact.Folder.FullName);
        Assert.True(exit == 0, messages);
        Directory.CreateDirectory(folder.File("out"));
        var run = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(folder.File("model"), [folder.File("input.npy"), folder.File("out")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string stderr = run.StandardError.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, stderr);
        var logits = Frontend.TensorFiles.Npy.Read(folder.File("out/logits.npy"));
        var expected = new Interpreter(model).Run(inputs["input"]);
        Assert.True(TensorComparison.MaxAbsDifference(expected, logits) <= 1e-5);
    }

    /// <summary>input → Relu → TopK(k=3): a model with one op the CPU target does not emit.</summary>
    private static Model BuildModelWith(string op)
    {
        var graph = new Graph("refused",
            [new ValueInfo("x", new TensorType(ElementType.Float32, Shape.Of(1, 10)))],
            [new ValueInfo("values", null), new ValueInfo("indices", null)],
            [
                new Node("activate", "Relu", ["x"], ["r"]),
                new Node("pick the best", op, ["r", "k"], ["values", "indices"]),
            ],
            [new Initializer("k", Tensor.Create(new long[] { 3 }, 1))]);
        return new Model(graph, new Dictionary<string, int> { [""] = 13 });
    }
}
