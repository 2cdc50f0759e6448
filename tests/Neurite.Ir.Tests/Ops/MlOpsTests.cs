using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>The ai.onnx.ml ops on malformed attributes the conformance data does not try.</summary>
public sealed class MlOpsTests
{
    [Fact]
    public void SingleLeafTreeBeyondTheLeavesIsReported()
    {
        // Tree root 1 is a single leaf (both branches lead to the same leaf), which the reference
        // reads at the root's own index: leaf 1, but there is only leaf 0.
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["tree_roots"] = new long[] { 1 },
            ["nodes_featureids"] = new long[] { 0, 0 },
            ["nodes_modes"] = Tensor.Create(new byte[] { 0, 0 }, 2),
            ["nodes_splits"] = Tensor.Create(new[] { 0f, 0f }, 2),
            ["nodes_truenodeids"] = new long[] { 0, 0 },
            ["nodes_falsenodeids"] = new long[] { 0, 0 },
            ["nodes_trueleafs"] = new long[] { 1, 1 },
            ["nodes_falseleafs"] = new long[] { 1, 1 },
            ["leaf_targetids"] = new long[] { 0 },
            ["leaf_weights"] = Tensor.Create(new[] { 1f }, 1),
        };
        var b = new GraphBuilder("forest");
        var x = b.Input("x", TypeSyntax.ParseType("f32[1, 1]"));
        b.Output(b.Node("TreeEnsemble", [x], attributes, domain: OpDomains.OnnxMl, outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 21, [OpDomains.OnnxMl] = 5 });

        var error = Assert.Throws<NeuriteException>(() => new Interpreter(model).Run(Tensor.Create(new[] { 0.5f }, 1, 1)));

        Assert.IsType<InvalidNodeException>(error.InnerException);
        Assert.Contains("tree root 1 is a single leaf, read as leaf 1, which does not exist (1 leaves)", error.Message);
    }
}
