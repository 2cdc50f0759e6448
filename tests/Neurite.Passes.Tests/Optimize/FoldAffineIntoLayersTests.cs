using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class FoldAffineIntoLayersTests
{
    [Fact]
    public void FoldsPerChannelAddAndMulIntoConvEitherOperandOrder()
    {
        var b = new GraphBuilder("conv-affine");
        var x = b.Input("x", Type("f32[N,3,6,6]"));
        var conv = b.Node("Conv", [x, b.Initializer("w", Random(1, [4, 3, 3, 3]))]);
        var scaled = b.Node("Mul", [b.Initializer("m", Random(2, [4, 1, 1])), conv]);
        var shifted = b.Node("Add", [scaled, b.Initializer("a", Random(3, [1, 4, 1, 1]))]);
        b.Output(b.Node("Add", [shifted, b.Initializer("s", Tensor.Create([0.25f], 1))]));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldAffineIntoLayers());
        Assert.Equal("Conv", Assert.Single(result.Model.Graph.Nodes).OpType);
    }

    [Fact]
    public void FoldsBiasAndPerColumnScaleIntoGemm()
    {
        var b = new GraphBuilder("gemm-affine");
        var x = b.Input("x", Type("f32[2,5]"));
        var gemm = b.Node("Gemm", [x, b.Initializer("w", Random(4, [3, 5])), b.Initializer("c", Random(5, [3]))], new() { ["transB"] = 1, ["beta"] = 2f });
        var scaled = b.Node("Mul", [gemm, b.Initializer("m", Random(6, [1, 3]))]);
        b.Output(b.Node("Add", [scaled, b.Initializer("a", Random(7, [2, 3]))]));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldAffineIntoLayers());
        Assert.Equal("Gemm", Assert.Single(result.Model.Graph.Nodes).OpType);
    }

    [Fact]
    public void LeavesConstantsThatAreNotPerChannelAndSharedLayersAlone()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[1,3,6,6]"));
        var conv = b.Node("Conv", [x, b.Initializer("w", Random(1, [4, 3, 3, 3]))]);
        b.Output(b.Node("Add", [conv, b.Initializer("spatial", Random(2, [1, 1, 4, 4]))])); // varies over space
        var vector = b.Node("Conv", [x, b.Initializer("w2", Random(3, [4, 3, 3, 3]))]);
        b.Output(b.Node("Mul", [vector, b.Initializer("last", Random(4, [4]))])); // [4] aligns with the last axis, not the channels
        var shared = b.Node("Conv", [x, b.Initializer("w3", Random(5, [4, 3, 3, 3]))]);
        b.Output(b.Node("Add", [shared, b.Initializer("c", Random(6, [4, 1, 1]))]));
        b.Output(shared);
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new FoldAffineIntoLayers()]).Model);
    }
}
