using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class RewriteEngineTests
{
    [Fact]
    public void PatternsCheckOpsInputsPredicatesAndSingleUse()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Type("f32[2,3]"));
        var shared = b.Node("Relu", [x]);
        var once = b.Node("Relu", [x]);
        var a = b.Node("Add", [shared, b.Initializer("c", Random(1, [3]))]);
        var d = b.Node("Add", [once, b.Initializer("e", Random(2, [3]))]);
        b.Output(b.Node("Mul", [a, shared]));
        b.Output(d);
        var editor = new GraphEditor(b.Build());
        var pattern = Pattern.Op("Add", Pattern.Op("Relu").SingleUse().As("relu"), Pattern.Constant("bias", t => t.Length == 3));
        Assert.Null(pattern.MatchRoot(editor.Producer(a)!, editor)); // its Relu is read twice
        var match = pattern.MatchRoot(editor.Producer(d)!, editor);
        Assert.NotNull(match);
        Assert.Equal(once, match.Value("relu"));
        Assert.Equal(3, match.Constant("bias").Length);
        Assert.Null(pattern.If((_, _) => false).MatchRoot(editor.Producer(d)!, editor));
    }

    [Fact]
    public void ChainsRewriteToAFixedPointAcrossSweeps()
    {
        // Ten Identities in a row collapse, whatever order the engine meets them in.
        var b = new GraphBuilder("chain");
        var h = b.Node("Relu", [b.Input("x", Type("f32[4]"))]);
        for (int i = 0; i < 10; i++)
        {
            h = b.Node("Identity", [h]);
        }
        b.Output(h);
        var result = PassEquivalence.AssertPreserves(Model(b), new RemoveIdentities());
        Assert.Equal("Relu", Assert.Single(result.Model.Graph.Nodes).OpType);
    }

    [Fact]
    public void ARuleThatNeverSettlesStopsAtTheSweepLimitWithAWarning()
    {
        var b = new GraphBuilder("g");
        b.Output(b.Node("Neg", [b.Input("x", Type("f32[4]"))]));
        var context = new PassContext(OpRegistry.Default, OptimizationLimits.Default with { MaxRewriteSweeps = 5 });
        var outcome = RewriteEngine.Run(Model(b), [new FlipNeg()], context, "flip");
        Assert.Equal(5, outcome.Firings["flip-neg"]);
        Assert.Equal("pass.no-fixed-point", Assert.Single(context.Diagnostics).Code);
    }

    [Fact]
    public void ARuleThatDeclinesAfterEditingIsABug()
    {
        var b = new GraphBuilder("g");
        b.Output(b.Node("Neg", [b.Input("x", Type("f32[4]"))]));
        Assert.Throws<InvalidOperationException>(() => RewriteEngine.Run(Model(b), [new EditsThenDeclines()], new PassContext(), "bad"));
    }

    /// <summary>Replaces a Neg by an equal Neg for ever: the engine must stop it.</summary>
    private sealed class FlipNeg : RewriteRule
    {
        public override string Name => "flip-neg";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Neg");

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            graph.ReplaceNode(match.Root, match.Root.With(name: match.Root.Name + "'"));
            return true;
        }
    }

    private sealed class EditsThenDeclines : RewriteRule
    {
        public override string Name => "edits-then-declines";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Neg");

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            graph.AddInitializer("stray", Tensor.Create([1f], 1));
            return false;
        }
    }
}
