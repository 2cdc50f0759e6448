using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class EliminateCommonSubexpressionsTests
{
    [Fact]
    public void MergesRepeatedNodesAndEqualConstantsTransitively()
    {
        var b = new GraphBuilder("repeats");
        var x = b.Input("x", Type("f32[2,6]"));
        var a = b.Node("Reshape", [b.Node("Relu", [x]), b.Initializer("shape1", Ints(3, 4))]);
        var c = b.Node("Reshape", [b.Node("Relu", [x]), b.Initializer("shape2", Ints(3, 4))]);
        b.Output(b.Node("Add", [a, c]));
        b.Output(c, null);
        var result = PassEquivalence.AssertPreserves(Model(b), new EliminateCommonSubexpressions());
        Assert.Equal(["Relu", "Reshape", "Add"], result.Model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(c, result.Model.Graph.Outputs[1].Name);
    }

    [Fact]
    public void KeepsNodesThatDifferAndRandomOnes()
    {
        var b = new GraphBuilder("different");
        var x = b.Input("x", Type("f32[2,6]"));
        b.Output(b.Node("LeakyRelu", [x], new() { ["alpha"] = 0.1f }));
        b.Output(b.Node("LeakyRelu", [x], new() { ["alpha"] = 0.2f }));
        b.Output(b.Node("RandomUniformLike", [x], new() { ["seed"] = 1f }));
        b.Output(b.Node("RandomUniformLike", [x], new() { ["seed"] = 1f }));
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new EliminateCommonSubexpressions()]).Model);
    }
}
