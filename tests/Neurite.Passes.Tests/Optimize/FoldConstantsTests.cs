using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class FoldConstantsTests
{
    [Fact]
    public void FoldsWeightArithmeticAndConstantNodesIntoInitializers()
    {
        var b = new GraphBuilder("weights");
        var x = b.Input("x", Type("f32[2,4]"));
        var w = b.Node("Transpose", [b.Initializer("w", Random(1, [3, 4]))], new() { ["perm"] = new long[] { 1, 0 } });
        var two = b.Node("Constant", [], new() { ["value"] = Tensor.Create([2f], 1) });
        var scaled = b.Node("Mul", [w, two]);
        b.Output(b.Node("MatMul", [x, scaled]));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldConstants());
        Assert.Equal("MatMul", Assert.Single(result.Model.Graph.Nodes).OpType);
        var folded = result.Model.Graph.Initializer(result.Model.Graph.Nodes[0].Inputs[1])!;
        Assert.Equal([4, 3], folded.ShapeArray());
    }

    [Fact]
    public void ShapeArithmeticOnASymbolicBatchStaysButItsStaticPartsFold()
    {
        // Reshape(x, Concat(Shape(x)[0:1], [prod of the rest])): the batch is only known at run time.
        var b = new GraphBuilder("symbolic");
        var x = b.Input("x", Type("f32[N,3,4]"));
        var shape = b.Node("Shape", [x]);
        var batch = b.Node("Slice", [shape, b.Initializer("s0", Ints(0)), b.Initializer("s1", Ints(1))]);
        var rest = b.Node("Mul", [b.Initializer("three", Ints(3)), b.Initializer("four", Ints(4))]);
        var target = b.Node("Concat", [batch, rest], new() { ["axis"] = 0 });
        b.Output(b.Node("Reshape", [x, target]));
        var result = PassEquivalence.AssertPreserves(Model(b), new FoldConstants());
        Assert.Equal(["Shape", "Slice", "Concat", "Reshape"], result.Model.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void LeavesRandomOpsGraphOutputsAndBlowUpsAlone()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[1000,1000]"));
        var big = b.Node("ConstantOfShape", [b.Initializer("shape", Ints(1000, 1000))],
            new() { ["value"] = Tensor.Create([1f], 1) });
        var noise = b.Node("RandomUniform", [], new() { ["shape"] = new long[] { 2 }, ["seed"] = 1f });
        b.Output(b.Node("Add", [x, big]));
        b.Output(noise);
        b.Output(b.Node("Neg", [b.Initializer("c", Tensor.Create([1f], 1))]));
        var model = Model(b);
        var result = new PassManager().Run(model, [new FoldConstants()]);
        Assert.Same(model, result.Model);
    }
}
