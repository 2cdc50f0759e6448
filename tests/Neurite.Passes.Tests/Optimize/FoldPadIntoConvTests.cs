using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class FoldPadIntoConvTests
{
    [Theory]
    [InlineData(13)]
    [InlineData(9)]
    public void ZeroPaddingOfSpatialAxesMovesIntoTheConvPads(int opset)
    {
        var b = new GraphBuilder("pad-conv");
        var x = b.Input("x", Type("f32[N,2,5,5]"));
        long[] pads = [0, 0, 1, 2, 0, 0, 3, 0];
        var padded = opset >= 11
            ? b.Node("Pad", [x, b.Initializer("pads", Ints(pads))])
            : b.Node("Pad", [x], new() { ["pads"] = pads });
        b.Output(b.Node("Conv", [padded, b.Initializer("w", Random(1, [3, 2, 3, 3]))], new() { ["pads"] = new long[] { 1, 1, 1, 1 } }));
        var result = PassEquivalence.AssertPreserves(Model(b, opset), new FoldPadIntoConv());
        var conv = Assert.Single(result.Model.Graph.Nodes);
        Assert.Equal([2L, 3, 4, 1], conv.Attribute("pads")!.AsInts().ToArray());
    }

    [Fact]
    public void LeavesReflectPaddingNonZeroValuesAndChannelPaddingAlone()
    {
        var b = new GraphBuilder("keep");
        var x = b.Input("x", Type("f32[1,2,5,5]"));
        var w = b.Initializer("w", Random(1, [3, 2, 3, 3]));
        var spatial = b.Initializer("pads", Ints(0, 0, 1, 1, 0, 0, 1, 1));
        b.Output(b.Node("Conv", [b.Node("Pad", [x, spatial], new() { ["mode"] = "reflect" }), w]));
        b.Output(b.Node("Conv", [b.Node("Pad", [x, spatial, b.Initializer("one", Tensor.Create([1f], 1).Reshape([]))]), w]));
        var w3 = b.Initializer("w3", Random(2, [3, 3, 3, 3]));
        b.Output(b.Node("Conv", [b.Node("Pad", [x, b.Initializer("channel", Ints(0, 1, 0, 0, 0, 0, 0, 0))]), w3]));
        var model = Model(b);
        Assert.Same(model, new PassManager().Run(model, [new FoldPadIntoConv()]).Model);
    }
}
