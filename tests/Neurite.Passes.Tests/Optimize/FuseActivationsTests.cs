using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class FuseActivationsTests
{
    [Fact]
    public void FusesEachActivationIntoConvAndGemm()
    {
        var b = new GraphBuilder("fuse");
        var x = b.Input("x", Type("f32[N,2,6,6]"));
        var conv = (int seed) => b.Node("Conv", [x, b.Initializer($"w{seed}", Random(seed, [3, 2, 3, 3])), b.Initializer($"b{seed}", Random(seed + 1, [3]))]);
        b.Output(b.Node("Relu", [conv(10)]));
        b.Output(b.Node("LeakyRelu", [conv(20)], new() { ["alpha"] = 0.2f }));
        b.Output(b.Node("Sigmoid", [conv(30)]));
        b.Output(b.Node("Clip", [conv(40), b.Initializer("lo", Tensor.Create([-0.5f], 1).Reshape([])), b.Initializer("hi", Tensor.Create([0.5f], 1).Reshape([]))]));
        b.Output(b.Node("Clip", [conv(50), "", b.Initializer("six", Tensor.Create([6f], 1).Reshape([]))]));
        var m = b.Input("m", Type("f32[N,5]"));
        b.Output(b.Node("Relu", [b.Node("Gemm", [m, b.Initializer("g", Random(60, [4, 5]))], new() { ["transB"] = 1 })]));
        var result = PassEquivalence.AssertPreserves(Model(b), new FuseActivations());
        Assert.Equal(5, Count(result.Model, "FusedConv"));
        Assert.Equal(1, Count(result.Model, "FusedGemm"));
        Assert.Equal(6, result.Model.Graph.Nodes.Length);
        Assert.Equal(1, result.Model.OpsetOf(OpDomains.Neurite));
        var clip = result.Model.Graph.Nodes.Single(n => n.Name == result.Model.Graph.Nodes[4].Name);
        Assert.Equal([float.NegativeInfinity, 6f], clip.Attribute("activation_params")!.AsFloats().ToArray());
    }

    [Fact]
    public void LeavesSharedLayersAndComputedBoundsAlone()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[1,2,6,6]"));
        var shared = b.Node("Conv", [x, b.Initializer("w", Random(1, [3, 2, 3, 3]))]);
        b.Output(b.Node("Relu", [shared]));
        b.Output(shared);
        var bound = b.Input("bound", Type("f32[]"));
        b.Output(b.Node("Clip", [b.Node("Conv", [x, b.Initializer("w2", Random(2, [3, 2, 3, 3]))]), bound]));
        b.Output(b.Node("Tanh", [b.Node("Conv", [x, b.Initializer("w3", Random(3, [3, 2, 3, 3]))])]));
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new FuseActivations()]).Model);
    }
}
