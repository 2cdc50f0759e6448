using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class FoldBatchNormalizationTests(ITestOutputHelper output)
{
    private static string BatchNorm(GraphBuilder b, string input, int channels, int seed, Dictionary<string, AttributeValue>? attributes = null) =>
        b.Node("BatchNormalization", [input,
            b.Initializer($"scale{seed}", Random(seed, [channels], 0.5f, 2f)), b.Initializer($"shift{seed}", Random(seed + 1, [channels])),
            b.Initializer($"mean{seed}", Random(seed + 2, [channels])), b.Initializer($"var{seed}", Random(seed + 3, [channels], 0.1f, 3f))],
            attributes ?? new() { ["epsilon"] = 1e-3f });

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void FoldsIntoConvWithOrWithoutBiasAndGroups(bool bias, int groups)
    {
        var b = new GraphBuilder("conv-bn");
        var x = b.Input("x", Type("f32[N,4,7,7]"));
        var w = b.Initializer("w", Random(10, [6, 4 / groups, 3, 3]));
        string[] inputs = bias ? [x, w, b.Initializer("b", Random(11, [6]))] : [x, w];
        var conv = b.Node("Conv", inputs, new() { ["pads"] = new long[] { 1, 1, 1, 1 }, ["group"] = groups });
        b.Output(b.Node("Relu", [BatchNorm(b, conv, 6, 20)]));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldBatchNormalization());
        Assert.Equal(["Conv", "Relu"], result.Model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(3, result.Model.Graph.Nodes[0].Inputs.Length);
        Assert.Equal(2, result.Model.Graph.Initializers.Length); // the old weight, bias and BN parameters are gone
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void FoldsIntoGemmEitherWeightLayout(int transB)
    {
        var b = new GraphBuilder("gemm-bn");
        var x = b.Input("x", Type("f32[N,5]"));
        var w = b.Initializer("w", Random(30, transB == 1 ? [3, 5] : [5, 3]));
        var gemm = b.Node("Gemm", [x, w, b.Initializer("c", Random(31, [3]))], new() { ["transB"] = transB, ["beta"] = 0.5f, ["alpha"] = 2f });
        b.Output(BatchNorm(b, gemm, 3, 40));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldBatchNormalization());
        Assert.Equal("Gemm", Assert.Single(result.Model.Graph.Nodes).OpType);
    }

    [Fact]
    public void FoldsIntoMatMulAsAGemm()
    {
        var b = new GraphBuilder("matmul-bn");
        var x = b.Input("x", Type("f32[N,5]"));
        b.Output(BatchNorm(b, b.Node("MatMul", [x, b.Initializer("w", Random(50, [5, 3]))]), 3, 60));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldBatchNormalization());
        Assert.Equal("Gemm", Assert.Single(result.Model.Graph.Nodes).OpType);
    }

    [Fact]
    public void FoldsThePyTorchBatchNorm1dIdiomThroughUnsqueezeAndSqueeze()
    {
        // Gemm -> Unsqueeze(2) -> BatchNormalization -> Squeeze(2), as PyTorch exports Linear + BatchNorm1d.
        var b = new GraphBuilder("bn1d");
        var x = b.Input("x", Type("f32[N,5]"));
        var gemm = b.Node("Gemm", [x, b.Initializer("w", Random(1, [4, 5])), b.Initializer("c", Random(2, [4]))], new() { ["transB"] = 1 });
        var expanded = b.Node("Unsqueeze", [gemm], new() { ["axes"] = new long[] { 2 } });
        var normalised = BatchNorm(b, expanded, 4, 3, new() { ["is_test"] = 1, ["epsilon"] = 1e-5f });
        b.Output(b.Node("Relu", [b.Node("Squeeze", [normalised], new() { ["axes"] = new long[] { 2 } })]));
        var result = PassEquivalence.AssertPreserves(Model(b, opset: 6), "fold-batchnorm,remove-identities");
        Assert.Equal(["Gemm", "Relu"], result.Model.Graph.Nodes.Select(n => n.OpType));
    }

    [Theory]
    [InlineData(6, null)]
    [InlineData(6, 0L)]
    [InlineData(15, 1L)]
    public void LeavesTrainingModeAlone(int opset, long? mode)
    {
        var b = new GraphBuilder("training");
        var x = b.Input("x", Type("f32[4,3,5,5]"));
        var attributes = new Dictionary<string, AttributeValue>();
        if (mode is long m)
        {
            attributes[opset >= 14 ? "training_mode" : "is_test"] = m;
        }
        b.Output(BatchNorm(b, b.Node("Conv", [x, b.Initializer("w", Random(1, [3, 3, 1, 1]))]), 3, 5, attributes));
        var model = Model(b, opset);
        Assert.Same(model, new PassManager().Run(model, [new FoldBatchNormalization()]).Model);
    }

    [Fact]
    public void LeavesSharedLayersTrainingModeAndComputedWeightsAlone()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[2,4,5,5]"));
        var shared = b.Node("Conv", [x, b.Initializer("w", Random(70, [4, 4, 1, 1]))]);
        b.Output(BatchNorm(b, shared, 4, 80));
        b.Output(shared); // the Conv's output is read twice
        var computed = b.Node("Conv", [x, b.Input("w_runtime", Type("f32[4,4,1,1]"))]);
        b.Output(BatchNorm(b, computed, 4, 90));
        var matrix = b.Input("m", Type("f32[2,3,5]"));
        b.Output(BatchNorm(b, b.Node("MatMul", [matrix, b.Initializer("w3", Random(95, [5, 3]))]), 3, 96)); // channel axis 1 is not the MatMul's column
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new FoldBatchNormalization()]).Model);
    }

    [Fact]
    public void FoldsOnTheFashionMnistModelRemovingEveryBatchNormalizationAndKeepingItsAccuracy()
    {
        var entry = ModelCatalog.DataSetModels.Single(m => m.Path == "zoo/fmnist_cnn_bn_maxpool.onnx");
        var model = Frontend.Onnx.OnnxImporter.Load(entry.FullPath);
        Assert.True(Count(model, "BatchNormalization") > 0);
        var data = DataSet.ByName(entry.DataSet);
        var images = Preprocessing.Batch(entry, data, 5000, 16, [16, 1, 28, 28]);
        var result = PassEquivalence.AssertPreserves(model, "default", new EquivalenceOptions
        {
            RealInputs = [("test images 5000-5015", new Dictionary<string, Tensor> { [model.Graph.Inputs[0].Name] = images })],
        });
        Assert.Equal(0, Count(result.Model, "BatchNormalization"));
        double accuracy = ClassificationAccuracy.Score(result.Model, entry, data, 0, data.Count);
        output.WriteLine($"after the default pipeline: {accuracy:P2} on {data.Count} images (ONNX Runtime on the original: {entry.OrtAccuracyAll:P2})");
        Assert.True(Math.Abs(accuracy - entry.OrtAccuracyAll) <= 0.001 + 1e-9,
            $"accuracy after folding {accuracy:P2}, ONNX Runtime measures {entry.OrtAccuracyAll:P2} on the original");
    }
}
