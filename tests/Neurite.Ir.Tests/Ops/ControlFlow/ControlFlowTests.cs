using Neurite.Ir.Tests.Ops.Quantization;
using Xunit;

namespace Neurite.Ir.Tests.Ops.ControlFlow;

/// <summary>
/// Loop, Scan and If where the ONNX conformance data is thin: loops that never iterate, values
/// carried with changing shapes, Scan opset 8 with uneven sequence_lens, and the types inferred
/// for their outputs. Shapes and values are checked against ONNX Runtime where it runs the case.
/// </summary>
public sealed class ControlFlowTests
{
    private static IrType T(string text) => TypeSyntax.ParseType(text);

    private static Tensor Floats(int[] shape, Func<int, float> value) =>
        Tensor.Create(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(value).ToArray(), shape);

    private static Model ModelOf(Graph graph, int opset) => new(graph, new Dictionary<string, int> { [""] = opset });

    private static IReadOnlyList<Diagnostic> Errors(Model model) =>
        GraphVerifier.Verify(model).Where(d => d.Severity == Severity.Error).ToList();

    /// <summary>Loop (M, no cond, x) whose body carries x unchanged and scans out Unsqueeze(x), declared <paramref name="declared"/>.</summary>
    private static Graph LoopScanningOut(long tripCount, string declared)
    {
        var body = new GraphBuilder("body");
        body.Input("i", T("i64[]"));
        var condition = body.Input("cond", T("bool[]"));
        var v = body.Input("v", T("f32[2, 3]"));
        body.Output(body.Node("Identity", [condition], outputName: "cond_out"), T("bool[]"));
        body.Output(body.Node("Identity", [v], outputName: "v_out"), T("f32[2, 3]"));
        var axes = body.Initializer("axes", Tensor.Create(new long[] { 0 }, 1));
        body.Output(body.Node("Unsqueeze", [v, axes], outputName: "scanned"), T(declared));

        var b = new GraphBuilder("loop");
        var x = b.Input("x", T("f32[2, 3]"));
        var trips = b.Initializer("M", Tensor.Create(new long[] { tripCount }).Reshape([]));
        b.NodeWithOutputs("Loop", [trips, "", x], 2, new() { ["body"] = body.Build() }, outputNames: ["final", "stacked"]);
        b.Output("final");
        b.Output("stacked");
        return b.Build();
    }

    /// <summary>
    /// Without iterations a scan output's items take the body's declared shape, unknown dimensions
    /// 0 and an undeclared rank giving [0], as ONNX Runtime does (which first refines declarations
    /// by its own shape inference, so it is compared only where the declaration is complete).
    /// </summary>
    [Theory]
    [InlineData(2L, "f32[1, 2, 3]", new[] { 2, 1, 2, 3 }, true)]
    [InlineData(0L, "f32[1, 2, 3]", new[] { 0, 1, 2, 3 }, true)]
    [InlineData(0L, "f32[K, 2, 3]", new[] { 0, 0, 2, 3 }, false)]
    [InlineData(0L, "f32[*]", new[] { 0 }, false)]
    public void LoopScanOutputsTakeTheDeclaredShapeWithoutIterations(long tripCount, string declared, int[] expectedShape, bool compareWithOnnxRuntime)
    {
        var graph = LoopScanningOut(tripCount, declared);
        var feeds = new Dictionary<string, Tensor> { ["x"] = Floats([2, 3], i => i) };
        var outputs = new Interpreter(graph, new Dictionary<string, int> { [""] = 13 }).Run(feeds.ToDictionary(f => f.Key, f => (IValue)f.Value));
        Assert.Equal(expectedShape, ((Tensor)outputs["stacked"]).Shape.ToArray());
        if (compareWithOnnxRuntime)
        {
            OnnxRuntimeComparison.AssertSame(graph, new Dictionary<string, int> { [""] = 13 }, feeds, rtol: 0, atol: 0);
        }
    }

    /// <summary>
    /// The carried sequence holds one tensor that grows by one element per iteration; its body
    /// input is undeclared, so only the inference of Loop can type it, for every iteration.
    /// </summary>
    [Fact]
    public void LoopTypesACarriedSequenceForEveryIteration()
    {
        var body = new GraphBuilder("grow");
        body.Input("i", T("i64[]"));
        var condition = body.Input("cond", T("bool[]"));
        var items = body.Input("items", T("seq<f32[?]>"));
        var first = body.Node("SequenceAt", [items, body.Initializer("zero", Tensor.Create(new long[] { 0 }).Reshape([]))]);
        var grown = body.Node("Concat", [first, body.Initializer("one", Tensor.Create(new[] { 1f }, 1))], new() { ["axis"] = 0 });
        body.Output(body.Node("Identity", [condition], outputName: "cond_out"));
        body.Output(body.Node("SequenceConstruct", [grown], outputName: "items_out"));
        var bodyGraph = body.Build();
        bodyGraph = bodyGraph.With(inputs: bodyGraph.Inputs.Select(input => input.Name == "items" ? input with { Type = null } : input).ToList());

        var b = new GraphBuilder("loop");
        var x = b.Input("x", T("f32[2]"));
        var start = b.Node("SequenceConstruct", [x]);
        var trips = b.Initializer("M", Tensor.Create(new long[] { 3 }).Reshape([]));
        var final = b.Node("Loop", [trips, "", start], new() { ["body"] = bodyGraph }, outputName: "final");
        b.Output(b.Node("SequenceAt", [final, b.Initializer("zero", Tensor.Create(new long[] { 0 }).Reshape([]))], outputName: "item"), T("f32[5]"));
        var model = ModelOf(b.Build(), 13);

        Assert.Empty(Errors(model));
        Assert.Equal(T("seq<f32[?]>"), TypeInference.Run(model).Types["final"]);
        var item = (Tensor)new Interpreter(model).Run(("x", (IValue)Tensor.Create(new[] { 4f, 5f }, 2)))["item"];
        Assert.Equal(new[] { 4f, 5f, 1f, 1f, 1f }, item.ToArray<float>());
    }

    /// <summary>If whose branches give sequences of differently shaped tensors: the output's type covers both.</summary>
    [Fact]
    public void IfJoinsSequenceBranches()
    {
        Graph Branch(string name, int length)
        {
            var branch = new GraphBuilder(name);
            var value = branch.Initializer($"{name}_value", Tensor.Create(new float[length], length));
            branch.Output(branch.Node("SequenceConstruct", [value], outputName: $"{name}_out"));
            return branch.Build();
        }

        var b = new GraphBuilder("if");
        var condition = b.Input("cond", T("bool[]"));
        var chosen = b.Node("If", [condition], new() { ["then_branch"] = Branch("then", 2), ["else_branch"] = Branch("else", 3) }, outputName: "chosen");
        b.Output(b.Node("SequenceAt", [chosen, b.Initializer("zero", Tensor.Create(new long[] { 0 }).Reshape([]))], outputName: "item"), T("f32[3]"));
        var model = ModelOf(b.Build(), 13);

        Assert.Empty(Errors(model));
        Assert.Equal(T("seq<f32[?]>"), TypeInference.Run(model).Types["chosen"]);
        var item = (Tensor)new Interpreter(model).Run(("cond", (IValue)Tensor.Create([false]).Reshape([])))["item"];
        Assert.Equal([3], item.Shape.ToArray());
    }

    /// <summary>Scan opset 8: states s (batch, 2), scan input x (batch, 3, 2); s' = s + x_t, y_t = s · x_t.</summary>
    private static Graph Scan8(int batch, long[] directions, bool withLengths)
    {
        var body = new GraphBuilder("step");
        var s = body.Input("s", T("f32[2]"));
        var x = body.Input("x_t", T("f32[2]"));
        body.Output(body.Node("Add", [s, x], outputName: "s_out"), T("f32[2]"));
        body.Output(body.Node("Mul", [s, x], outputName: "y"), T("f32[2]"));

        var b = new GraphBuilder("scan8");
        var lengths = withLengths ? b.Input("lengths", T($"i64[{batch}]")) : "";
        var state = b.Input("state", T($"f32[{batch}, 2]"));
        var input = b.Input("x", T($"f32[{batch}, 3, 2]"));
        b.NodeWithOutputs("Scan", [lengths, state, input], 2,
            new() { ["body"] = body.Build(), ["num_scan_inputs"] = 1, ["directions"] = directions }, outputNames: ["final", "ys"]);
        b.Output("final");
        b.Output("ys");
        return b.Build();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    public void ScanOpset8PadsShortSequencesWithZeros(long direction)
    {
        var graph = Scan8(2, [direction], withLengths: true);
        var feeds = new Dictionary<string, Tensor>
        {
            ["lengths"] = Tensor.Create(new long[] { 3, 1 }, 2),
            ["state"] = Floats([2, 2], i => i + 1),
            ["x"] = Floats([2, 3, 2], i => 0.5f * i - 2),
        };
        var ys = (Tensor)new Interpreter(graph, new Dictionary<string, int> { [""] = 8 }).Run(feeds.ToDictionary(f => f.Key, f => (IValue)f.Value))["ys"];
        Assert.Equal(new[] { 2, 3, 2 }, ys.Shape.ToArray());
        Assert.Equal(new float[4], ys.ToArray<float>()[8..]);
        OnnxRuntimeComparison.AssertSame(graph, new Dictionary<string, int> { [""] = 8 }, feeds, rtol: 0, atol: 0);
        Assert.Equal(T("f32[2, 3, 2]"), TypeInference.Run(ModelOf(graph, 8)).Types["ys"]);
    }

    [Fact]
    public void ScanOpset8OverAnEmptyBatchGivesEmptyOutputs()
    {
        var graph = Scan8(0, [0], withLengths: false);
        var outputs = new Interpreter(graph, new Dictionary<string, int> { [""] = 8 })
            .Run(("state", (IValue)Floats([0, 2], i => i)), ("x", Floats([0, 3, 2], i => i)));
        Assert.Equal(new[] { 0, 2 }, ((Tensor)outputs["final"]).Shape.ToArray());
        Assert.Equal(new[] { 0, 3, 2 }, ((Tensor)outputs["ys"]).Shape.ToArray());
    }

    [Fact]
    public void ScanOpset8RejectsLengthsBeyondTheSequence()
    {
        var graph = Scan8(2, [0], withLengths: true);
        var error = Assert.ThrowsAny<Exception>(() => new Interpreter(graph, new Dictionary<string, int> { [""] = 8 }).Run(
            ("lengths", (IValue)Tensor.Create(new long[] { 3, 4 }, 2)), ("state", Floats([2, 2], i => i)), ("x", Floats([2, 3, 2], i => i))));
        Assert.Contains("sequence_lens must hold 2 lengths in [0, 3]", error.Message);
    }

    /// <summary>Scan (opset 13) over x's axis 1 giving Unsqueeze(x_t), declared <paramref name="declared"/>, along output axis 1.</summary>
    private static Graph Scan13(int steps, string declared)
    {
        var body = new GraphBuilder("step");
        var x = body.Input("x_t", T("f32[4]"));
        var axes = body.Initializer("axes", Tensor.Create(new long[] { 0 }, 1));
        body.Output(body.Node("Unsqueeze", [x, axes], outputName: "y"), T(declared));

        var b = new GraphBuilder("scan13");
        var input = b.Input("x", T($"f32[4, {steps}]"));
        b.Node("Scan", [input], new()
        {
            ["body"] = body.Build(), ["num_scan_inputs"] = 1, ["scan_input_axes"] = new long[] { 1 }, ["scan_output_axes"] = new long[] { 1 },
        }, outputName: "ys");
        b.Output("ys");
        return b.Build();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void ScanOutputsHaveTheIterationCountAlongTheirAxis(int steps)
    {
        var graph = Scan13(steps, "f32[1, 4]");
        var feeds = new Dictionary<string, Tensor> { ["x"] = Floats([4, steps], i => i) };
        var ys = (Tensor)new Interpreter(graph, new Dictionary<string, int> { [""] = 13 }).Run(feeds.ToDictionary(f => f.Key, f => (IValue)f.Value))["ys"];
        Assert.Equal(new[] { 1, steps, 4 }, ys.Shape.ToArray());
        Assert.Equal(T($"f32[1, {steps}, 4]"), TypeInference.Run(ModelOf(graph, 13)).Types["ys"]);
        // ONNX Runtime (1.31) crashes the process on a Scan of length 0, so only the non-empty case is compared.
        if (steps > 0)
        {
            OnnxRuntimeComparison.AssertSame(graph, new Dictionary<string, int> { [""] = 13 }, feeds, rtol: 0, atol: 0);
        }
    }

    [Fact]
    public void ScanWithoutStepsGivesUndeclaredDimensionsZero()
    {
        var ys = (Tensor)new Interpreter(Scan13(0, "f32[K, 4]"), new Dictionary<string, int> { [""] = 13 })
            .Run(("x", (IValue)Floats([4, 0], i => i)))["ys"];
        Assert.Equal(new[] { 0, 0, 4 }, ys.Shape.ToArray());
    }
}
