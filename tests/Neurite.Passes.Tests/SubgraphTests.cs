using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

/// <summary>
/// Subgraphs (If branches, Loop and Scan bodies) are left as they are by every pass, on purpose:
/// the passes optimise the main graph, and values a body captures keep their names.
/// </summary>
public sealed class SubgraphTests
{
    [Fact]
    public void TheDefaultPipelineOptimisesAroundAnIfAndLeavesItsBranchesAlone()
    {
        var b = new GraphBuilder("outer");
        var x = b.Input("x", Type("f32[2,3]"));
        var c = b.Input("c", Type("bool[]"));
        var captured = b.Node("Identity", [b.Node("Relu", [x])], outputName: "captured");
        var then = new GraphBuilder("then");
        then.Output(then.Node("Identity", [then.Node("Neg", [captured])]));
        var otherwise = new GraphBuilder("else");
        otherwise.Output(otherwise.Node("Abs", [captured]));
        var thenGraph = then.Build();
        var branch = b.Node("If", [c], new() { ["then_branch"] = thenGraph, ["else_branch"] = otherwise.Build() });
        b.Output(b.Node("Identity", [b.Node("Add", [b.Node("MatMul", [branch, b.Initializer("w", Random(1, [3, 4]))]), b.Initializer("bias", Random(2, [4]))])]));
        var options = new EquivalenceOptions
        {
            RandomInputSets = 0,
            RealInputs =
            [
                ("then", new Dictionary<string, Tensor> { ["x"] = Random(3, [2, 3]), ["c"] = Tensor.Create([true]) }),
                ("else", new Dictionary<string, Tensor> { ["x"] = Random(4, [2, 3]), ["c"] = Tensor.Create([false]) }),
            ],
        };
        var result = PassEquivalence.AssertPreserves(Model(b), "onnx", options);
        var graph = result.Model.Graph;
        Assert.Equal(["Relu", "If", "Gemm"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal("captured", graph.Nodes[0].Outputs[0]);
        Assert.Same(thenGraph, graph.Nodes[1].Attribute("then_branch")!.AsGraph());
    }
}
