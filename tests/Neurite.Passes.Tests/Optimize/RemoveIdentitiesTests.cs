using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class RemoveIdentitiesTests
{
    [Fact]
    public void RemovesIdentityDropoutCastAndNoOpReshapeKeepingTheOutputName()
    {
        var b = new GraphBuilder("chain");
        var x = b.Input("x", Type("f32[2,3]"));
        var h = b.Node("Relu", [x]);
        h = b.Node("Identity", [h]);
        h = b.Node("Dropout", [h, b.Initializer("ratio", Tensor.Create([0.5f], 1).Reshape([]))]);
        h = b.Node("Cast", [h], new() { ["to"] = 1 });
        h = b.Node("Reshape", [h, b.Initializer("same", Ints(2, 3))]);
        b.Output(b.Node("Identity", [h], outputName: "y"));
        var result = PassEquivalence.AssertPreserves(Model(b), new RemoveIdentities());
        var node = Assert.Single(result.Model.Graph.Nodes);
        Assert.Equal("Relu", node.OpType);
        Assert.Equal("y", node.Outputs[0]);
    }

    [Fact]
    public void TransposePairsCancelOrMerge()
    {
        var b = new GraphBuilder("transposes");
        var x = b.Input("x", Type("f32[2,3,4]"));
        var cancelled = b.Node("Transpose", [b.Node("Transpose", [x], new() { ["perm"] = new long[] { 1, 2, 0 } })], new() { ["perm"] = new long[] { 2, 0, 1 } });
        var merged = b.Node("Transpose", [b.Node("Transpose", [x], new() { ["perm"] = new long[] { 1, 0, 2 } })], new() { ["perm"] = new long[] { 0, 2, 1 } });
        var reversedTwice = b.Node("Transpose", [b.Node("Transpose", [x])]);
        b.Output(b.Node("Add", [cancelled, reversedTwice]));
        b.Output(merged);
        var result = PassEquivalence.AssertPreserves(Model(b), new RemoveIdentities());
        Assert.Equal(["Add", "Transpose"], result.Model.Graph.Nodes.Select(n => n.OpType).Order());
        var transpose = result.Model.Graph.Nodes.Single(n => n.OpType == "Transpose");
        Assert.Equal([1L, 2, 0], transpose.Attribute("perm")!.AsInts().ToArray());
        Assert.Equal(["x", "x"], result.Model.Graph.Nodes.Single(n => n.OpType == "Add").Inputs.ToArray());
    }

    [Fact]
    public void ReshapeOfReshapeBecomesOneReshape()
    {
        var b = new GraphBuilder("reshapes");
        var x = b.Input("x", Type("f32[2,6]"));
        var h = b.Node("Reshape", [x, b.Initializer("a", Ints(3, 4))]);
        b.Output(b.Node("Reshape", [h, b.Initializer("b", Ints(4, -1))]));
        var result = PassEquivalence.AssertPreserves(Model(b), new RemoveIdentities());
        Assert.Equal(["x", "b"], Assert.Single(result.Model.Graph.Nodes).Inputs.ToArray());
    }

    [Fact]
    public void KeepsWhatIsNotAnIdentity()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[2,3]"));
        b.Output(b.Node("Identity", [x])); // an input passed to an output needs its Identity
        b.Output(b.Node("Cast", [x], new() { ["to"] = 11 }));
        b.Output(b.Node("Reshape", [x, b.Initializer("s", Ints(3, 2))]));
        b.Output(b.Node("Transpose", [x], new() { ["perm"] = new long[] { 1, 0 } }));
        var copy = b.Node("Reshape", [b.Node("Reshape", [x, b.Initializer("three", Ints(2, 3, 1))]), b.Initializer("zero", Ints(0, -1))]);
        b.Output(copy); // the outer Reshape copies a dimension of the inner one (0)
        b.Output(b.NodeWithOutputs("Dropout", [x, b.Initializer("r", Tensor.Create([0.5f], 1).Reshape([])), b.Initializer("t", Tensor.Create([true], 1).Reshape([]))], 2)[0]);
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new RemoveIdentities()]).Model);
    }
}
