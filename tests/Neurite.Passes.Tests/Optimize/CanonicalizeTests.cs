using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class CanonicalizeTests
{
    [Theory]
    [InlineData("SAME_UPPER", new long[] { 0, 0, 1, 1 })]
    [InlineData("SAME_LOWER", new long[] { 1, 1, 0, 0 })]
    [InlineData("VALID", new long[] { 0, 0, 0, 0 })]
    public void ResolvesAutoPadAndMakesEveryWindowAttributeExplicit(string autoPad, long[] pads)
    {
        var b = new GraphBuilder("windows");
        var x = b.Input("x", Type("f32[1,2,7,8]"));
        var conv = b.Node("Conv", [x, b.Initializer("w", Random(1, [3, 2, 2, 3]))], new() { ["auto_pad"] = autoPad, ["strides"] = new long[] { 2, 2 } });
        b.Output(b.Node("MaxPool", [conv], new() { ["kernel_shape"] = new long[] { 2, 2 }, ["auto_pad"] = autoPad }));
        var result = PassEquivalence.AssertPreserves(Model(b), new Canonicalize());
        var node = result.Model.Graph.Nodes[0];
        Assert.Equal("NOTSET", node.Attribute("auto_pad")!.AsString());
        Assert.Equal(pads, node.Attribute("pads")!.AsInts().ToArray());
        Assert.Equal([2L, 3], node.Attribute("kernel_shape")!.AsInts().ToArray());
        Assert.Equal([1L, 1], node.Attribute("dilations")!.AsInts().ToArray());
        Assert.Equal(1L, node.Attribute("group")!.AsInt());
        Assert.Equal("NOTSET", result.Model.Graph.Nodes[1].Attribute("auto_pad")!.AsString());
    }

    [Fact]
    public void GemmWeightsBecomeKByNWithAlphaAndBetaFolded()
    {
        var b = new GraphBuilder("gemm");
        var x = b.Input("x", Type("f32[N,5]"));
        b.Output(b.Node("Gemm", [x, b.Initializer("w", Random(1, [3, 5])), b.Initializer("c", Random(2, [3]))],
            new() { ["transB"] = 1, ["alpha"] = 0.5f, ["beta"] = 3f }));
        var result = PassEquivalence.AssertPreserves(Model(b), new Canonicalize());
        var gemm = Assert.Single(result.Model.Graph.Nodes);
        Assert.Equal([5, 3], result.Model.Graph.Initializer(gemm.Inputs[1])!.ShapeArray());
        Assert.Equal(0L, gemm.Attribute("transB")!.AsInt());
        Assert.Equal(1f, gemm.Attribute("alpha")!.AsFloat());
        Assert.Equal(1f, gemm.Attribute("beta")!.AsFloat());
    }

    [Fact]
    public void AFlatteningReshapeBecomesFlatten()
    {
        var b = new GraphBuilder("flatten");
        var x = b.Input("x", Type("f32[N,4,3,2]"));
        b.Output(b.Node("Reshape", [x, b.Initializer("s", Ints(0, -1))]));
        var y = b.Input("y", Type("f32[2,4,3,2]"));
        b.Output(b.Node("Reshape", [y, b.Initializer("t", Ints(-1, 6))]));
        var result = PassEquivalence.AssertPreserves(Model(b), new Canonicalize());
        Assert.Equal([1L, 2], result.Model.Graph.Nodes.Select(n => n.Attribute("axis")!.AsInt()));
        Assert.All(result.Model.Graph.Nodes, n => Assert.Equal("Flatten", n.OpType));
    }

    [Fact]
    public void A2dWindowOverAnUnsqueezedAxisBecomesA1dOp()
    {
        // tf2onnx's Conv1D: ExpandDims -> Conv with a 1 x k kernel -> Squeeze, then a per-channel bias Add.
        var b = new GraphBuilder("conv1d");
        var x = b.Input("x", Type("f32[N,3,16]"));
        var expanded = b.Node("Unsqueeze", [x, b.Initializer("axis2", Ints(2))]);
        var conv = b.Node("Conv", [expanded, b.Initializer("w", Random(1, [5, 3, 1, 3]))], new()
        {
            ["kernel_shape"] = new long[] { 1, 3 }, ["strides"] = new long[] { 1, 2 }, ["pads"] = new long[] { 0, 1, 0, 1 }, ["dilations"] = new long[] { 1, 1 },
        });
        var squeezed = b.Node("Squeeze", [conv, b.Initializer("axis2b", Ints(2))]);
        var pooled = b.Node("Squeeze", [b.Node("MaxPool", [b.Node("Unsqueeze", [squeezed, b.Initializer("axis3", Ints(3))])],
            new() { ["kernel_shape"] = new long[] { 2, 1 }, ["strides"] = new long[] { 2, 1 } }), b.Initializer("axis3b", Ints(3))]);
        b.Output(pooled);
        var result = PassEquivalence.AssertPreserves(Model(b, opset: 13), new Canonicalize());
        Assert.Equal(["Conv", "MaxPool"], result.Model.Graph.Nodes.Select(n => n.OpType));
        var conv1d = result.Model.Graph.Nodes[0];
        Assert.Equal([3L], conv1d.Attribute("kernel_shape")!.AsInts().ToArray());
        Assert.Equal([2L], conv1d.Attribute("strides")!.AsInts().ToArray());
        Assert.Equal([1L, 1], conv1d.Attribute("pads")!.AsInts().ToArray());
        Assert.Equal([5, 3, 3], result.Model.Graph.Initializer(conv1d.Inputs[1])!.ShapeArray());
        Assert.Equal([2L], result.Model.Graph.Nodes[1].Attribute("kernel_shape")!.AsInts().ToArray());
    }

    [Fact]
    public void A2dWindowThatReallyUsesTheAddedAxisStays()
    {
        var b = new GraphBuilder("real2d");
        var x = b.Input("x", Type("f32[1,3,16]"));
        var expanded = b.Node("Unsqueeze", [x, b.Initializer("axis2", Ints(2))]);
        var conv = b.Node("Conv", [expanded, b.Initializer("w", Random(1, [5, 3, 3, 3]))], new()
        {
            ["kernel_shape"] = new long[] { 3, 3 }, ["strides"] = new long[] { 1, 1 }, ["pads"] = new long[] { 1, 1, 1, 1 }, ["dilations"] = new long[] { 1, 1 },
            ["group"] = 1, ["auto_pad"] = "NOTSET",
        });
        b.Output(b.Node("Squeeze", [conv, b.Initializer("axis2b", Ints(2))]));
        var model = Model(b, opset: 13);
        Assert.Same(model, new PassManager().Run(model, [new Canonicalize()]).Model);
    }

    [Fact]
    public void AReshapeTargetBuiltFromTheInputsOwnBatchBecomesConstantAndThenFlatten()
    {
        // PyTorch's x.view(x.size(0), -1) on a symbolic batch: Shape -> Gather(0) -> Unsqueeze -> Concat(-1) -> Reshape.
        var b = new GraphBuilder("view");
        var x = b.Input("x", Type("f32[N,4,3,2]"));
        var batch = b.Node("Unsqueeze", [b.Node("Gather", [b.Node("Shape", [x]), b.Initializer("zero", Tensor.Create([0L], 1).Reshape([]))]), b.Initializer("axes", Ints(0))]);
        var target = b.Node("Concat", [batch, b.Initializer("rest", Ints(-1))], new() { ["axis"] = 0 });
        b.Output(b.Node("Reshape", [x, target]));
        var y = b.Input("y", Type("f32[N,24]"));
        b.Output(b.Node("Reshape", [y, target])); // another tensor's batch: stays computed
        var result = PassEquivalence.AssertPreserves(Model(b, opset: 13), new Canonicalize());
        Assert.Equal(["Shape", "Gather", "Unsqueeze", "Concat", "Flatten", "Reshape"], result.Model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(1L, result.Model.Graph.Nodes.Single(n => n.OpType == "Flatten").Attribute("axis")!.AsInt());
    }
}
