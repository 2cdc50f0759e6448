using Neurite.Ir;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class GraphEditorTests
{
    [Fact]
    public void ReplacingAGraphOutputHandsItsNameToTheReplacement()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Type("f32[2]"));
        var relu = b.Node("Relu", [x]);
        b.Output(b.Node("Identity", [relu], outputName: "y"));
        var editor = new GraphEditor(b.Build());
        editor.ReplaceAllUses("y", relu);
        editor.RemoveDeadNodes();
        var graph = editor.Build();
        var node = Assert.Single(graph.Nodes);
        Assert.Equal("Relu", node.OpType);
        Assert.Equal("y", node.Outputs[0]);
    }

    [Fact]
    public void ReplacingAGraphOutputByAnInputKeepsTheNameThroughAnIdentity()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Type("f32[2]"));
        b.Output(b.Node("Relu", [x], outputName: "y"));
        var editor = new GraphEditor(b.Build());
        editor.ReplaceAllUses("y", x);
        editor.RemoveDeadNodes();
        var node = Assert.Single(editor.Build().Nodes);
        Assert.Equal(("Identity", "x", "y"), (node.OpType, node.Inputs[0], node.Outputs[0]));
    }

    [Fact]
    public void AValueASubgraphCapturesCountsAsUsedAndKeepsItsName()
    {
        var b = new GraphBuilder("outer");
        var x = b.Input("x", Type("f32[2]"));
        var c = b.Input("c", Type("bool[]"));
        var relu = b.Node("Relu", [x]);
        var captured = b.Node("Identity", [relu], outputName: "captured");
        var then = new GraphBuilder("then");
        then.Output(then.Node("Neg", [captured]));
        var otherwise = new GraphBuilder("else");
        otherwise.Output(otherwise.Node("Abs", [captured]));
        b.Output(b.Node("If", [c], new() { ["then_branch"] = then.Build(), ["else_branch"] = otherwise.Build() }));
        var editor = new GraphEditor(b.Build());
        Assert.True(editor.IsCaptured("captured"));
        Assert.False(editor.HasSingleUse("captured"));
        Assert.Equal(1, editor.UseCount("captured"));
        editor.ReplaceAllUses("captured", relu);
        editor.RemoveDeadNodes();
        var graph = editor.Build();
        Assert.Equal(["Relu", "If"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal("captured", graph.Nodes[0].Outputs[0]); // the Relu took the captured name
    }

    [Fact]
    public void RemovingDeadNodesCascadesAndDropsInitializersNothingReads()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Type("f32[2]"));
        var w = b.Initializer("w", Random(1, [2]));
        var product = b.Node("Mul", [x, w]);
        var sum = b.Node("Add", [product, x]);
        b.Output(b.Node("Relu", [sum], outputName: "y"));
        var editor = new GraphEditor(b.Build());
        editor.ReplaceAllUses(sum, x);
        Assert.Equal(3, editor.Nodes.Count); // nothing goes before RemoveDeadNodes
        editor.RemoveDeadNodes();
        var graph = editor.Build();
        Assert.Equal(["Relu"], graph.Nodes.Select(n => n.OpType));
        Assert.Empty(graph.Initializers);
    }

    [Fact]
    public void RemovingANodeThatIsStillReadIsRefused()
    {
        var b = new GraphBuilder("g");
        var relu = b.Node("Relu", [b.Input("x", Type("f32[2]"))]);
        b.Output(b.Node("Neg", [relu]));
        var editor = new GraphEditor(b.Build());
        Assert.Throws<InvalidOperationException>(() => editor.RemoveNode(editor.Producer(relu)!));
    }
}
