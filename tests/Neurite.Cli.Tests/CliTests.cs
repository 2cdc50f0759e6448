using System.Text.Json;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

public sealed class CliTests
{
    private static string LeNet => SharedData.Path("models", "zoo", "fmnist_lenet5.onnx");
    private static string Bars => Path.Combine(SharedData.RepositoryRoot, "samples", "bars", "bars.onnx");

    [Fact]
    public void InspectShowsInterfaceParametersAndMacs()
    {
        var result = NeuriteProcess.Run("inspect", LeNet);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("input       input: f32[N, 1, 28, 28]", result.Stdout);
        Assert.Contains("output      logits: f32[N, 10]", result.Stdout);
        Assert.Contains("parameters  61,706", result.Stdout);
        // LeNet-5: 117,600 + 240,000 (convolutions) + 48,000 + 10,080 + 840 (dense) MACs, i.e. 0.83 MFLOP.
        Assert.Contains("MACs        416,520 per sample", result.Stdout);
        Assert.Contains("Conv x2", result.Stdout);
    }

    [Fact]
    public void InspectJsonIsMachineReadable()
    {
        var result = NeuriteProcess.Run("inspect", LeNet, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(61706, summary.GetProperty("parameterCount").GetInt64());
        Assert.Equal(416520, summary.GetProperty("totalMacs").GetInt64());
        Assert.Equal(13, summary.GetProperty("opsets").GetProperty("ai.onnx").GetInt32());
        Assert.Equal(2, summary.GetProperty("opHistogram").GetProperty("Conv").GetInt32());
        var conv = summary.GetProperty("layers").EnumerateArray().First();
        Assert.Equal("f32[N, 6, 28, 28]", conv.GetProperty("output").GetString());
        Assert.Equal(117600, conv.GetProperty("macs").GetInt64());
    }

    [Fact]
    public void RunWritesEveryOutputAsPbAndNpy()
    {
        using var folder = new TemporaryFolder();
        string outputs = folder.File("out");
        var result = NeuriteProcess.Run("run", LeNet, "--random", "7", "--dim", "N=3", "--output-dir", outputs);
        Assert.Equal(0, result.ExitCode);
        var fromNpy = Npy.Read(Path.Combine(outputs, "logits.npy"));
        var fromPb = OnnxValueFiles.ReadTensor(Path.Combine(outputs, "logits.pb"));
        Assert.Equal([3, 10], fromNpy.Shape.ToArray());
        Assert.Equal(fromPb.ToArray<float>(), fromNpy.ToArray<float>());
        // The same seed gives the same inputs, hence the same outputs.
        string again = folder.File("again");
        NeuriteProcess.Run("run", LeNet, "--random", "7", "--dim", "N=3", "--output-dir", again);
        Assert.Equal(fromNpy.ToArray<float>(), Npy.Read(Path.Combine(again, "logits.npy")).ToArray<float>());
    }

    [Fact]
    public void RunOnTheBarsSampleClassifiesItsImages()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("run", Bars, "--input", $"image={Path.Combine(SharedData.RepositoryRoot, "samples", "bars", "images.npy")}",
            "--output-dir", folder.Path);
        Assert.Equal(0, result.ExitCode);
        var probabilities = Npy.Read(folder.File("probabilities.npy"));
        var labels = Npy.Read(Path.Combine(SharedData.RepositoryRoot, "samples", "bars", "labels.npy")).ToArray<long>();
        for (int n = 0; n < labels.Length; n++)
        {
            float p = probabilities.Span<float>()[n * 2 + (int)labels[n]];
            Assert.True(p > 0.99f, $"image {n}: probability {p} for its class {labels[n]}");
        }
    }

    [Fact]
    public void LabelsGiveTheAccuracyOnnxRuntimeGives()
    {
        using var folder = new TemporaryFolder();
        var entry = ModelCatalog.DataSetModels.Single(m => m.Path == "zoo/fmnist_lenet5.onnx");
        var images = Preprocessing.Batch(entry, DataSet.FashionMnist, 0, 200, [1, 1, 28, 28]);
        var labels = DataSet.FashionMnist.Labels[..200].Select(l => (long)l).ToArray();
        Npy.Write(images, folder.File("images.npy"));
        Npy.Write(Tensor.Create(labels, 200), folder.File("labels.npy"));

        using var reference = new OnnxRuntimeReference(LeNet);
        var logits = reference.Run(new Dictionary<string, Tensor> { ["input"] = images })["logits"];
        int expectedCorrect = Enumerable.Range(0, 200).Count(n =>
            Enumerable.Range(0, 10).MaxBy(c => logits.Span<float>()[n * 10 + c]) == labels[n]);

        var result = NeuriteProcess.Run("run", LeNet, "--input", folder.File("images.npy"), "--labels", folder.File("labels.npy"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"accuracy: {expectedCorrect} of 200 ({expectedCorrect / 2.0:F2} %)", result.Stdout);
    }

    /// <summary>Labels as MNIST ships them: an IDX1 file (big-endian magic 0x801, the count, one byte per label).</summary>
    [Fact]
    public void LabelsMayBeAnIdxFile()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 4, 0, 1, 0, 1]);
        var result = NeuriteProcess.Run("run", Bars, "--input", Path.Combine(SharedData.RepositoryRoot, "samples", "bars", "images.npy"),
            "--labels", folder.File("labels-idx1-ubyte"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("accuracy: 4 of 4 (100.00 %)", result.Stdout);
    }

    [Fact]
    public void LabelsOfTheWrongCountAreReported()
    {
        using var folder = new TemporaryFolder();
        Npy.Write(Tensor.Create(new long[] { 0, 1, 0 }, 3), folder.File("labels.npy"));
        var result = NeuriteProcess.Run("run", Bars, "--input", Path.Combine(SharedData.RepositoryRoot, "samples", "bars", "images.npy"),
            "--labels", folder.File("labels.npy"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the output holds 4 samples of 2 classes but 3 labels were given", result.Stderr);
    }

    [Fact]
    public void ExportWritesAModelThatImportsAgain()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("export", LeNet, "-o", folder.File("copy.onnx"));
        Assert.Equal(0, result.ExitCode);
        var copy = OnnxImporter.Load(folder.File("copy.onnx"));
        Assert.Equal(12, copy.Graph.Nodes.Length);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("unknown-op")]
    [InlineData("missing")]
    [InlineData("traversal")]
    public void BadModelsGiveADiagnosticAndExitCode2(string kind)
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("bad.onnx");
        string expected;
        switch (kind)
        {
            case "truncated":
                var bytes = File.ReadAllBytes(LeNet);
                File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
                expected = "not a valid ONNX model (truncated or corrupt";
                break;
            case "unknown-op":
                var b = new GraphBuilder("g");
                b.Output(b.Node("Frobnicate", [b.Input("x", TypeSyntax.ParseType("f32[2]"))], nodeName: "frob"), TypeSyntax.ParseType("f32[2]"));
                File.WriteAllBytes(model, OnnxExporter.ToBytes(new Model(b.Build(), new Dictionary<string, int> { [""] = 17 })));
                expected = "node 'frob' (Frobnicate): error: op 'Frobnicate' of domain 'ai.onnx' (opset 17) is not supported";
                break;
            case "missing":
                model = folder.File("nowhere.onnx");
                expected = "does not exist";
                break;
            default:
                File.WriteAllBytes(model, ExternalWeightModel("../../etc/passwd"));
                expected = "leaves the model's folder";
                break;
        }
        foreach (var command in new[] { new[] { "run", model, "--random", "1", "--output-dir", folder.File("out") }, ["export", model, "-o", folder.File("x.onnx")] })
        {
            var result = NeuriteProcess.Run(command);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(expected, result.Stderr);
            Assert.False(result.ShowsStackTrace, result.Stderr);
            Assert.False(Directory.Exists(folder.File("out")), "a failed run must not leave an output folder");
            Assert.False(File.Exists(folder.File("x.onnx")), "a failed export must not leave a file");
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("inspect", "model.onnx", "--frobnicate")]
    [InlineData("compile-everything")]
    public void BadArgumentsExitWith2(params string[] arguments)
    {
        var result = NeuriteProcess.Run(arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.False(result.ShowsStackTrace, result.Stderr);
        Assert.Contains("neurite --help", result.Stderr);
    }

    [Fact]
    public void MissingInputIsExplained()
    {
        var result = NeuriteProcess.Run("run", LeNet);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("input 'input' (f32[N, 1, 28, 28]) was not given: pass --input input=FILE or --random SEED", result.Stderr);
    }

    [Fact]
    public void WrongInputShapeIsExplained()
    {
        using var folder = new TemporaryFolder();
        Npy.Write(Tensor.Create(new float[10], 1, 10), folder.File("x.npy"));
        var result = NeuriteProcess.Run("run", LeNet, "--input", $"input={folder.File("x.npy")}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("input 'input' expects shape [N, 1, 28, 28], got [1, 10]", result.Stderr);
    }

    /// <summary>y = x + w with w stored "externally" at <paramref name="location"/>.</summary>
    private static byte[] ExternalWeightModel(string location)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TypeSyntax.ParseType("f32[4]"));
        b.Output(b.Node("Add", [x, "w"]), TypeSyntax.ParseType("f32[4]"));
        var proto = OnnxExporter.ToProto(new Model(b.Build(), new Dictionary<string, int> { [""] = 17 }));
        var weight = new Frontend.Onnx.Proto.TensorProto
        {
            Name = "w",
            DataType = (int)Frontend.Onnx.Proto.TensorProto.Types.DataType.Float,
            DataLocation = Frontend.Onnx.Proto.TensorProto.Types.DataLocation.External,
        };
        weight.Dims.Add(4);
        weight.ExternalData.Add(new Frontend.Onnx.Proto.StringStringEntryProto { Key = "location", Value = location });
        proto.Graph.Initializer.Add(weight);
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }
}
