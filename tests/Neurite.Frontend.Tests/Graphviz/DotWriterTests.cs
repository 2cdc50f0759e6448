using Neurite.Frontend.Graphviz;
using Neurite.Ir;
using Xunit;

namespace Neurite.Frontend.Tests.Graphviz;

public sealed class DotWriterTests
{
    private static Model SpikingAndQuantised()
    {
        var b = new GraphBuilder("mixed");
        var q = b.Input("q", TypeSyntax.ParseType("qi8<scale=0.05, zp=-3>[4]"));
        b.Output(b.Node("Identity", [q], nodeName: "keep \"quoted\""));
        var current = b.Input("current", TypeSyntax.ParseType("f32[N, 8]"));
        var membrane = b.Input("membrane", TypeSyntax.ParseType("f32[N, 8]"));
        var outs = b.NodeWithOutputs("IntegrateAndFire", [current, membrane], 2,
            new() { ["threshold"] = 1f, ["reset"] = "subtract", ["dt"] = 0.5f }, nodeName: "lif", domain: OpDomains.Neurite);
        b.Output(outs[0]);
        b.Output(outs[1]);
        return new Model(b.Build(), new Dictionary<string, int> { [""] = 17, [OpDomains.Neurite] = 1 });
    }

    [Fact]
    public void LabelsCarryOpShapesQuantisationAndSpikingParameters()
    {
        string dot = DotWriter.Write(SpikingAndQuantised());
        Assert.StartsWith("digraph \"mixed\" {", dot);
        Assert.Contains("label=\"q\\nqi8<scale=0.05, zp=-3>[4]\"", dot);
        Assert.Contains("neurite.IntegrateAndFire\\nlif\\n→ f32[N, 8]\\n→ f32[N, 8]", dot);
        Assert.Contains("threshold=1", dot);
        Assert.Contains("reset=\\\"subtract\\\"", dot);
        Assert.Contains("dt=0.5", dot);
        Assert.Contains("keep \\\"quoted\\\"", dot); // quotes in names are escaped
        Assert.Contains("fillcolor=\"#fde2c8\"", dot); // spiking nodes stand out
        Assert.Contains("input1 -> node1;", dot);
        Assert.Contains("node1 -> output2;", dot);
    }

    [Fact]
    public void TheSameModelGivesTheSameText()
    {
        Assert.Equal(DotWriter.Write(SpikingAndQuantised()), DotWriter.Write(SpikingAndQuantised()));
    }
}
