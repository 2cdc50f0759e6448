using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class MatMulAddToGemmTests
{
    [Fact]
    public void MatrixProductPlusBiasBecomesGemmWhicheverSideTheBiasIs()
    {
        var b = new GraphBuilder("mlp");
        var x = b.Input("x", Type("f32[N,8]"));
        var h = b.Node("Add", [b.Node("MatMul", [x, b.Initializer("w1", Random(1, [8, 6]))]), b.Initializer("b1", Random(2, [6]))]);
        h = b.Node("Relu", [h]);
        b.Output(b.Node("Add", [b.Initializer("b2", Random(3, [1, 4])), b.Node("MatMul", [h, b.Initializer("w2", Random(4, [6, 4]))])]));
        var result = PassEquivalence.AssertPreserves(Model(b), new MatMulAddToGemm());
        Assert.Equal(["Gemm", "Relu", "Gemm"], result.Model.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void AnOutputDeclaredWithAnotherSymbolForTheBatchStillBecomesGemm()
    {
        // tf2onnx declares the graph output as [unk__18, 10] while the MatMul computes [unk__17, 10].
        var b = new GraphBuilder("tf2onnx");
        var x = b.Input("x", Type("f32[unk__17,8]"));
        var sum = b.Node("Add", [b.Node("MatMul", [x, b.Initializer("w", Random(1, [8, 10]))]), b.Initializer("b", Random(2, [10]))]);
        b.Output(sum, Type("f32[unk__18,10]"));
        var result = PassEquivalence.AssertPreserves(Model(b), new MatMulAddToGemm());
        Assert.Equal("Gemm", Assert.Single(result.Model.Graph.Nodes).OpType);
    }

    [Fact]
    public void LeavesBatchedProductsGrowingBiasesAndSharedProductsAlone()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[2,3,8]"));
        b.Output(b.Node("Add", [b.Node("MatMul", [x, b.Initializer("w", Random(1, [8, 4]))]), b.Initializer("b", Random(2, [4]))]));
        var m = b.Input("m", Type("f32[2,8]"));
        b.Output(b.Node("Add", [b.Node("MatMul", [m, b.Initializer("w2", Random(3, [8, 4]))]), b.Initializer("grow", Random(4, [3, 2, 4]))]));
        var shared = b.Node("MatMul", [m, b.Initializer("w3", Random(5, [8, 4]))]);
        b.Output(b.Node("Add", [shared, b.Initializer("b3", Random(6, [4]))]));
        b.Output(shared);
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new MatMulAddToGemm()]).Model);
    }
}
