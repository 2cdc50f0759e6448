using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

public sealed class PassManagerTests
{
    private static Model ShapeChainModel()
    {
        // The exporter idiom: y = Reshape(x, Concat(Gather(Shape(x), 0), [-1])) on a static input.
        var b = new GraphBuilder("chain");
        var x = b.Input("x", Type("f32[2,3,4]"));
        var shape = b.Node("Shape", [x]);
        var batch = b.Node("Gather", [shape, b.Initializer("zero", Ints(0))], new() { ["axis"] = 0 });
        var target = b.Node("Concat", [batch, b.Initializer("rest", Ints(-1))], new() { ["axis"] = 0 });
        var y = b.Node("Reshape", [x, target]);
        var dead = b.Node("Relu", [x]);
        _ = dead;
        b.Output(b.Node("Identity", [y]));
        return Model(b);
    }

    [Fact]
    public void UnknownPassNamesAreAllReportedWithTheKnownOnes()
    {
        var error = Assert.Throws<NeuriteException>(() => PassRegistry.Default.Resolve("fold-constants,no-such-pass,another"));
        Assert.Equal(2, error.Diagnostics.Count);
        Assert.All(error.Diagnostics, d => Assert.Equal("pass.unknown", d.Code));
        Assert.Contains("'no-such-pass'", error.Diagnostics[0].Message);
        Assert.Contains("eliminate-dead-code", error.Diagnostics[0].Message);
        Assert.Contains("default", error.Diagnostics[0].Message);
    }

    [Fact]
    public void EmptyPassListIsAnError()
    {
        var error = Assert.Throws<NeuriteException>(() => PassRegistry.Default.Resolve(" , "));
        Assert.Equal("pass.empty-pipeline", error.Diagnostics[0].Code);
    }

    [Fact]
    public void PipelineNamesExpandInsideLists()
    {
        var passes = PassRegistry.Default.Resolve("eliminate-dead-code,default");
        Assert.Equal(["eliminate-dead-code", .. PassRegistry.Default.PipelineSteps("default")], passes.Select(p => p.Name));
    }

    [Fact]
    public void ReportsEveryPassWithNodeCountsAndTiming()
    {
        var model = ShapeChainModel();
        var result = PassEquivalence.AssertPreserves(model, "fold-constants,remove-identities,eliminate-dead-code");
        Assert.Equal(["fold-constants", "remove-identities", "eliminate-dead-code"], result.Report.Passes.Select(p => p.Name));
        Assert.Equal(6, result.Report.Passes[0].NodesBefore);
        Assert.Equal(3, result.Report.Passes[0].NodesAfter); // Shape, Gather, Concat folded
        // The Reshape alone: Identity and the dead Relu gone.
        Assert.Equal("Reshape", Assert.Single(result.Model.Graph.Nodes).OpType);
        Assert.Equal(result.Model.Graph.Outputs[0].Name, result.Model.Graph.Nodes[0].Outputs[0]);
        Assert.All(result.Report.Passes, p => Assert.True(p.Changed));
        Assert.All(result.Report.Passes, p => Assert.True(p.Elapsed > TimeSpan.Zero));
        string table = result.Report.FormatTable();
        Assert.Contains("fold-constants", table);
        Assert.Contains("6 -> 3", table);
        Assert.Contains("total", table);
    }

    [Fact]
    public void APassThatNeedsShapesGetsThemFirst()
    {
        var registry = PassRegistry.Default.With(() => new NeedsShapes());
        var manager = new PassManager(registry, new PassManagerOptions { VerifyEachPass = true });
        var result = manager.Run(ShapeChainModel(), "needs-shapes");
        Assert.Equal(["infer-shapes", "needs-shapes"], result.Report.Passes.Select(p => p.Name));
        Assert.Equal("needs-shapes", result.Report.Passes[0].RequiredBy);
        Assert.True(NeedsShapes.SawShapes);
    }

    [Fact]
    public void AStaticShapePassRefusesSymbolicInputsWithADiagnostic()
    {
        var b = new GraphBuilder("symbolic");
        b.Output(b.Node("Relu", [b.Input("x", Type("f32[N,3]"))]));
        var registry = PassRegistry.Default.With(() => new NeedsStaticShapes());
        var error = Assert.Throws<NeuriteException>(() => new PassManager(registry, new PassManagerOptions()).Run(Model(b), "needs-static"));
        Assert.Equal("pass.requires-static-shapes", error.Diagnostics[0].Code);
        Assert.Contains("input 'x'", error.Diagnostics[0].Message);
    }

    [Fact]
    public void AnInvalidResultIsCaughtByTheVerifierAndNamesThePass()
    {
        var b = new GraphBuilder("g");
        b.Output(b.Node("Relu", [b.Input("x", Type("f32[2]"))]));
        var registry = PassRegistry.Default.With(() => new Breaks());
        var error = Assert.Throws<NeuriteException>(() =>
            new PassManager(registry, new PassManagerOptions { VerifyEachPass = true }).Run(Model(b), "breaks"));
        Assert.Equal("pass.invalid-result", error.Diagnostics[0].Code);
        Assert.Contains("'breaks'", error.Diagnostics[0].Message);
        Assert.Contains(error.Diagnostics, d => d.Code == "graph.undefined-value");
    }

    [Fact]
    public void DumpsTheIrBeforeAndAfterEveryPassInNumberedFiles()
    {
        using var folder = new TemporaryFolder();
        string dumps = Path.Combine(folder.Path, "ir");
        var options = new PassManagerOptions { DumpDirectory = dumps, VerifyEachPass = true };
        new PassManager(PassRegistry.Default, options).Run(ShapeChainModel(), "fold-constants,eliminate-dead-code");
        Assert.Equal(["00-input.ir.txt", "01-fold-constants.ir.txt", "02-eliminate-dead-code.ir.txt", "pipeline.txt"],
            Directory.GetFiles(dumps).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("= Shape(x)", File.ReadAllText(Path.Combine(dumps, "00-input.ir.txt")));
        Assert.DoesNotContain("Shape(", File.ReadAllText(Path.Combine(dumps, "01-fold-constants.ir.txt")));
        Assert.DoesNotContain("Relu", File.ReadAllText(Path.Combine(dumps, "02-eliminate-dead-code.ir.txt")));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path)); // no staging folder left behind

        // A second run replaces an earlier dump; a folder with other files is refused.
        new PassManager(PassRegistry.Default, options).Run(ShapeChainModel(), "eliminate-dead-code");
        Assert.Equal(3, Directory.GetFiles(dumps).Length);
        string other = Path.Combine(folder.Path, "other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "mine");
        var error = Assert.Throws<NeuriteException>(() =>
            new PassManager(PassRegistry.Default, options with { DumpDirectory = other }).Run(ShapeChainModel(), "default"));
        Assert.Equal("dump.folder-not-empty", error.Diagnostics[0].Code);
        Assert.Equal(["notes.txt"], Directory.GetFiles(other).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailingPipelineStillLeavesACompleteDumpWithTheDiagnostics()
    {
        using var folder = new TemporaryFolder();
        var b = new GraphBuilder("g");
        b.Output(b.Node("Relu", [b.Input("x", Type("f32[2]"))]));
        var registry = PassRegistry.Default.With(() => new Breaks());
        var options = new PassManagerOptions { VerifyEachPass = true, DumpDirectory = folder.File("ir") };
        Assert.Throws<NeuriteException>(() => new PassManager(registry, options).Run(Model(b), "eliminate-dead-code,breaks"));
        Assert.Equal(["00-input.ir.txt", "01-eliminate-dead-code.ir.txt", "pipeline.txt"],
            Directory.GetFiles(folder.File("ir")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("pass 'breaks' produced a graph the verifier rejects", File.ReadAllText(folder.File("ir/pipeline.txt")));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void TheDumpWriterIsSuppliedByTheCaller()
    {
        using var folder = new TemporaryFolder();
        var format = IrDumpFormat.FromText(".nrt", m => $"nodes {m.Graph.Nodes.Length}\n");
        new PassManager(PassRegistry.Default, new PassManagerOptions { DumpDirectory = folder.Path, DumpFormat = format })
            .Run(ShapeChainModel(), "eliminate-dead-code");
        Assert.Equal("nodes 5\n", File.ReadAllText(Path.Combine(folder.Path, "01-eliminate-dead-code.nrt")));
    }

    private sealed class NeedsShapes : Pass
    {
        public static bool SawShapes { get; private set; }
        public override string Name => "needs-shapes";
        public override string Description => "test pass";
        public override GraphProperties Requires => GraphProperties.ShapesInferred;

        public override Model Run(Model model, PassContext context)
        {
            SawShapes = model.Graph.Nodes.All(n => model.Graph.TypeOf(n.Outputs[0]) is TensorType);
            return model;
        }
    }

    private sealed class NeedsStaticShapes : Pass
    {
        public override string Name => "needs-static";
        public override string Description => "test pass";
        public override GraphProperties Requires => GraphProperties.StaticShapes;
        public override Model Run(Model model, PassContext context) => model;
    }

    private sealed class Breaks : Pass
    {
        public override string Name => "breaks";
        public override string Description => "test pass";

        public override Model Run(Model model, PassContext context) =>
            model.WithGraph(model.Graph.With(nodes: model.Graph.Nodes.Select(n => n.With(inputs: ["nowhere"]))));
    }
}
