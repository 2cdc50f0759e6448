using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>
/// Shape inference of the tensor-manipulation ops on the patterns exporters write: shape
/// computations that fold to constants (Shape → Gather → Unsqueeze → Concat → Reshape) and
/// symbolic batch dimensions that must survive reshapes, transposes and concatenations.
/// </summary>
public sealed class TensorShapeInferenceTests
{
    private static Model ModelOf(GraphBuilder builder, int opset = 17) =>
        new(builder.Build(), new Dictionary<string, int> { [""] = opset });

    private static TensorType TypeOf(Model model, string value)
    {
        var result = TypeInference.Run(model);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        return Assert.IsType<TensorType>(result.Types[value]);
    }

    private static Tensor Ints(params long[] values) => Tensor.Create(values, values.Length);

    /// <summary>The messages of the errors inference reports for one node of <paramref name="op"/> on an input of <paramref name="inputType"/>.</summary>
    private static IEnumerable<string> Errors(string op, string inputType, IReadOnlyList<Tensor?> constants, Dictionary<string, AttributeValue>? attributes = null, int opset = 17, int outputs = 1)
    {
        var b = new GraphBuilder(op);
        var inputs = new List<string> { b.Input("x", TypeSyntax.ParseType(inputType)) };
        inputs.AddRange(constants.Select((t, i) => t is null ? "" : b.Initializer($"in{i + 1}", t)));
        foreach (var output in b.NodeWithOutputs(op, inputs, outputs, attributes))
        {
            b.Output(output);
        }
        return TypeInference.Run(ModelOf(b, opset)).Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Message);
    }

    [Fact]
    public void ExportedShapeChainFoldsIntoAnExactReshape()
    {
        var b = new GraphBuilder("chain");
        var x = b.Input("x", TypeSyntax.ParseType("f32[2, 3, 4]"));
        var shape = b.Node("Shape", [x]);
        var batch = b.Node("Gather", [shape, b.Initializer("zero", Tensor.Create([0L]))], new Dictionary<string, AttributeValue> { ["axis"] = 0 });
        var batchVector = b.Node("Unsqueeze", [batch, b.Initializer("axes", Ints(0))]);
        var target = b.Node("Concat", [batchVector, b.Initializer("rest", Ints(-1))], new Dictionary<string, AttributeValue> { ["axis"] = 0 });
        var y = b.Node("Reshape", [x, target], outputName: "y");
        b.Output(y);

        var type = TypeOf(ModelOf(b), "y");
        Assert.Equal(Shape.Of(2, 12), type.Shape);
    }

    [Fact]
    public void SymbolicBatchSurvivesReshapeTransposeFlattenAndConcat()
    {
        var b = new GraphBuilder("symbolic");
        var x = b.Input("x", TypeSyntax.ParseType("f32[N, 3, 4]"));
        var merged = b.Node("Reshape", [x, b.Initializer("target", Ints(0, -1))], outputName: "merged");
        var split = b.Node("Reshape", [merged, b.Initializer("back", Ints(-1, 3, 4))], outputName: "split");
        var swapped = b.Node("Transpose", [split], new Dictionary<string, AttributeValue> { ["perm"] = new long[] { 2, 0, 1 } }, outputName: "swapped");
        var flat = b.Node("Flatten", [x], new Dictionary<string, AttributeValue> { ["axis"] = 1 }, outputName: "flat");
        var joined = b.Node("Concat", [flat, flat], new Dictionary<string, AttributeValue> { ["axis"] = 1 }, outputName: "joined");
        var lifted = b.Node("Unsqueeze", [x, b.Initializer("axes", Ints(-1))], outputName: "lifted");
        var whole = b.Node("Slice", [x, b.Initializer("starts", Ints(0)), b.Initializer("ends", Ints(long.MaxValue))], outputName: "whole");
        foreach (var output in new[] { swapped, joined, lifted, whole })
        {
            b.Output(output);
        }
        var model = ModelOf(b);
        var n = Dim.Symbolic("N");

        Assert.Equal(Shape.Of(n, 12), TypeOf(model, merged).Shape);
        Assert.Equal(Shape.Of(n, 3, 4), TypeOf(model, split).Shape);
        Assert.Equal(Shape.Of(4, n, 3), TypeOf(model, swapped).Shape);
        Assert.Equal(Shape.Of(n, 24), TypeOf(model, joined).Shape);
        Assert.Equal(Shape.Of(n, 3, 4, 1), TypeOf(model, lifted).Shape);
        Assert.Equal(Shape.Of(n, 3, 4), TypeOf(model, whole).Shape);
    }

    [Fact]
    public void ShapeOfASymbolicTensorIsNotFolded()
    {
        var b = new GraphBuilder("dynamic");
        var x = b.Input("x", TypeSyntax.ParseType("f32[N, 3]"));
        var shape = b.Node("Shape", [x], outputName: "shape");
        var zeros = b.Node("ConstantOfShape", [shape], outputName: "zeros");
        b.Output(zeros);
        var model = ModelOf(b);

        Assert.False(TypeInference.Run(model).Constants.ContainsKey(shape));
        Assert.Equal(Shape.OfRank(2), TypeOf(model, zeros).Shape);
    }

    [Fact]
    public void ResizeWithConstantScalesKnowsItsOutput()
    {
        var b = new GraphBuilder("resize");
        var x = b.Input("x", TypeSyntax.ParseType("f32[N, 8, 10, 10]"));
        var scales = b.Initializer("scales", Tensor.Create([1f, 1f, 2f, 1.5f], 4));
        var y = b.Node("Resize", [x, "", scales], new Dictionary<string, AttributeValue> { ["mode"] = "nearest" }, outputName: "y");
        b.Output(y);

        Assert.Equal(Shape.Of(Dim.Symbolic("N"), 8, 20, 15), TypeOf(ModelOf(b), y).Shape);
    }

    [Fact]
    public void BlockRearrangementsKeepWhatTheBlockDoesNotChange()
    {
        var b = new GraphBuilder("blocks");
        var x = b.Input("x", TypeSyntax.ParseType("f32[N, C, 4, 6]"));
        var deeper = b.Node("SpaceToDepth", [x], new Dictionary<string, AttributeValue> { ["blocksize"] = 2 }, outputName: "deeper");
        var same = b.Node("DepthToSpace", [x], new Dictionary<string, AttributeValue> { ["blocksize"] = 1 }, outputName: "same");
        b.Output(deeper);
        b.Output(same);
        var model = ModelOf(b);
        var n = Dim.Symbolic("N");

        Assert.Equal(Shape.Of(n, Dim.Unknown, 2, 3), TypeOf(model, deeper).Shape);
        Assert.Equal(Shape.Of(n, Dim.Symbolic("C"), 4, 6), TypeOf(model, same).Shape);
    }

    [Theory]
    [InlineData("DepthToSpace", "f32[1, 6, 2, 2]", 2L, "the channel count 6 is not a multiple of blocksize² = 4")]
    [InlineData("SpaceToDepth", "f32[1, 3, 5, 4]", 2L, "the height 5 is not a multiple of blocksize = 2")]
    [InlineData("SpaceToDepth", "f32[1, 3, 4, 4]", 0L, "blocksize must be positive, got 0")]
    public void BlocksThatDoNotFitAreInvalidNodes(string op, string inputType, long blocksize, string expected) =>
        Assert.Contains(expected, Errors(op, inputType, [], new() { ["blocksize"] = blocksize }));
}
