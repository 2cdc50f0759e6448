using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class EliminateDeadCodeTests
{
    [Fact]
    public void RemovesDeadNodesAndUnusedInitializersButKeepsWhatASubgraphReads()
    {
        var b = new GraphBuilder("dead");
        var x = b.Input("x", Type("f32[3]"));
        var cond = b.Input("c", Type("bool[]"));
        var captured = b.Node("Relu", [x], outputName: "captured");
        _ = b.Node("Sigmoid", [b.Node("Exp", [x])]); // dead chain
        b.Initializer("unused", Random(2, [10]));
        var then = new GraphBuilder("then");
        then.Output(then.Node("Neg", [captured]));
        var otherwise = new GraphBuilder("else");
        otherwise.Output(otherwise.Node("Abs", [captured]));
        b.Output(b.Node("If", [cond], new() { ["then_branch"] = then.Build(), ["else_branch"] = otherwise.Build() }));
        var model = Model(b);
        var result = PassEquivalence.AssertPreserves(model, new EliminateDeadCode(),
            new EquivalenceOptions { RealInputs = [("false", new Dictionary<string, Tensor> { ["x"] = Random(3, [3]), ["c"] = Tensor.Create([false]) })] });
        Assert.Equal(["Relu", "If"], result.Model.Graph.Nodes.Select(n => n.OpType));
        Assert.Empty(result.Model.Graph.Initializers);
        Assert.Same(result.Model, new EliminateDeadCode().Run(result.Model, new PassContext()));
    }
}
