using Xunit;

namespace Neurite.Ir.Tests.Verification;

/// <summary>Each structural problem gets its own diagnostic code, naming the node and the value.</summary>
public sealed class GraphVerifierTests
{
    private static readonly IrType Vector = TypeSyntax.ParseType("f32[4]");

    private static Model ModelOf(Graph graph, int opset = 17) => new(graph, new Dictionary<string, int> { [""] = opset });

    private static Diagnostic SingleError(Graph graph, int opset = 17) =>
        Assert.Single(GraphVerifier.Verify(ModelOf(graph, opset)), d => d.Severity == Severity.Error);

    [Fact]
    public void WellFormedGraphHasNoDiagnostics()
    {
        var b = new GraphBuilder("ok");
        var x = b.Input("x", Vector);
        b.Output(b.Node("Relu", [b.Node("Add", [x, x])]), Vector);
        Assert.Empty(GraphVerifier.Verify(ModelOf(b.Build())));
    }

    [Fact]
    public void UndefinedInputIsNamed()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", Vector)],
            [new Node("adder", "Add", ["x", "ghost"], ["y"])]);
        var error = SingleError(graph);
        Assert.Equal("graph.undefined-value", error.Code);
        Assert.Contains("'ghost'", error.Message);
        Assert.Equal("adder", error.Location?.Node);
    }

    [Fact]
    public void ValueDefinedTwiceIsReported()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", Vector)],
            [new Node("a", "Relu", ["x"], ["y"]), new Node("b", "Relu", ["x"], ["y"])]);
        var error = SingleError(graph);
        Assert.Equal("graph.duplicate-value", error.Code);
        Assert.Contains("'y'", error.Message);
    }

    [Fact]
    public void CycleNamesItsNodes()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("c", Vector)],
            [new Node("first", "Add", ["x", "c"], ["a"]), new Node("second", "Relu", ["a"], ["c"])]);
        var error = SingleError(graph);
        Assert.Equal("graph.cycle", error.Code);
        Assert.Contains("'first' (Add) -> 'second' (Relu)", error.Message);
    }

    [Fact]
    public void UnknownOpNamesOpDomainAndOpset()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", Vector)], [new Node("n", "Frobnicate", ["x"], ["y"])]);
        var error = SingleError(graph, opset: 13);
        Assert.Equal("op.unknown", error.Code);
        Assert.Equal("op 'Frobnicate' of domain 'ai.onnx' (opset 13) is not supported", error.Message);
    }

    [Fact]
    public void WrongArityIsReported()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", Vector)], [new Node("n", "Add", ["x"], ["y"])]);
        var error = SingleError(graph);
        Assert.Equal("op.arity", error.Code);
        Assert.Equal("Add takes 2 inputs, the node has 1", error.Message);
    }

    [Fact]
    public void AttributeOfTheWrongKindIsReported()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", Vector)],
            [new Node("n", "Add", ["x", "x"], ["y"], new Dictionary<string, AttributeValue> { ["broadcast"] = "yes" })]);
        var error = SingleError(graph, opset: 6);
        Assert.Equal("op.attribute-kind", error.Code);
        Assert.Equal("attribute 'broadcast' of Add must be an int, the node gives a string", error.Message);
    }

    [Fact]
    public void UnknownAttributeIsAWarning()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", Vector)],
            [new Node("n", "Relu", ["x"], ["y"], new Dictionary<string, AttributeValue> { ["alpha"] = 0.5f })]);
        var warning = Assert.Single(GraphVerifier.Verify(ModelOf(graph)));
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("op.unknown-attribute", warning.Code);
    }

    [Fact]
    public void DeclaredShapeThatContradictsTheOpIsReported()
    {
        var graph = new Graph("g", [new ValueInfo("x", Vector)], [new ValueInfo("y", TypeSyntax.ParseType("f32[5]"))],
            [new Node("n", "Relu", ["x"], ["y"])]);
        var error = SingleError(graph);
        Assert.Equal("type.mismatch", error.Code);
        Assert.Equal("value 'y' is declared as f32[5] but the op computes f32[4]", error.Message);
    }

    [Fact]
    public void BroadcastContradictionIsReported()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector);
        var z = b.Input("z", TypeSyntax.ParseType("f32[3]"));
        b.Output(b.Node("Add", [x, z], nodeName: "sum"));
        var error = SingleError(b.Build());
        Assert.Equal("type.invalid-node", error.Code);
        Assert.Equal("sum", error.Location?.Node);
        Assert.Contains("cannot be broadcast", error.Message);
    }

    [Fact]
    public void SymbolicDimensionsFlowThroughInference()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TypeSyntax.ParseType("f32[N, 4]"));
        var bias = b.Initializer("bias", Tensor.Create(new float[4], 4));
        var y = b.Node("Relu", [b.Node("Add", [x, bias])]);
        b.Output(y);
        var types = TypeInference.Run(ModelOf(b.Build())).Types;
        Assert.Equal("f32[N, 4]", types[y].ToString());
    }

    [Fact]
    public void SubgraphsMayReadOuterValues()
    {
        var thenBranch = new GraphBuilder("then");
        thenBranch.Output(thenBranch.Node("Relu", ["x"]));
        var elseBranch = new GraphBuilder("else");
        elseBranch.Output(elseBranch.Node("Identity", ["x"]));
        var b = new GraphBuilder("g");
        b.Input("x", Vector);
        var c = b.Input("c", TypeSyntax.ParseType("bool[]"));
        b.Output(b.Node("If", [c], new() { ["then_branch"] = thenBranch.Build(), ["else_branch"] = elseBranch.Build() }));
        var model = ModelOf(b.Build());
        Assert.Empty(GraphVerifier.Verify(model));
        var run = new Interpreter(model).Run(("x", (IValue)Tensor.Create(new[] { -1f, 2f, -3f, 4f }, 4)), ("c", Tensor.Create(new[] { true })));
        Assert.Equal([0f, 2f, 0f, 4f], ((Tensor)run.Values.Single()).ToArray<float>());
    }

    [Fact]
    public void AQuantisedTypeMayBeDeclaredOnTheIntegersAnOpComputesButNotOnOtherIntegers()
    {
        // QuantizeLinear computes int8; the graph says which scale and zero point those int8 mean.
        var b = new GraphBuilder("q");
        var x = b.Input("x", Vector);
        var q = b.Node("QuantizeLinear", [x, b.Initializer("s", Tensor.Scalar(0.1f)), b.Initializer("z", Tensor.Scalar((sbyte)0))]);
        b.Output(q, TypeSyntax.ParseType("qi8<scale=0.1, zp=0>[4]"));
        var model = ModelOf(b.Build());
        Assert.Empty(GraphVerifier.Verify(model));
        Assert.IsType<QuantizedType>(((TensorType)TypeInference.Run(model).Types[q]).ElementType);

        var wrong = new GraphBuilder("q");
        var x2 = wrong.Input("x", Vector);
        wrong.Output(wrong.Node("QuantizeLinear", [x2, wrong.Initializer("s", Tensor.Scalar(0.1f)), wrong.Initializer("z", Tensor.Scalar((sbyte)0))]),
            TypeSyntax.ParseType("qu8<scale=0.1, zp=0>[4]"));
        Assert.Equal("type.mismatch", SingleError(wrong.Build()).Code);
    }
}
