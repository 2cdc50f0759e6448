namespace Neurite.Ir;

/// <summary>
/// Propagates types and shapes through a graph: each op's <see cref="OpDefinition.InferTypes"/>
/// gives its outputs from its inputs, merged with what the graph declares. Small constant
/// computations (the Shape → Gather → Concat → Reshape chains exporters write) are evaluated
/// on the way so shapes that depend on them are known too. Contradictions become diagnostics.
/// </summary>
public sealed class TypeInference
{
    /// <summary>Constant values larger than this are not folded while inferring (it is a shape engine, not an optimiser).</summary>
    private const int MaxFoldedElements = 1 << 16;

    private readonly OpRegistry registry;
    private readonly Func<string, int?> opsetOf;
    private readonly List<Diagnostic> diagnostics = [];

    private TypeInference(OpRegistry registry, Func<string, int?> opsetOf)
    {
        this.registry = registry;
        this.opsetOf = opsetOf;
    }

    /// <summary>Infers every value's type in the model's main graph (subgraphs are visited through their ops).</summary>
    public static InferenceResult Run(Model model, OpRegistry? registry = null)
    {
        var engine = new TypeInference(registry ?? OpRegistry.Default, model.OpsetOf);
        var scope = new Scope(null);
        engine.InferGraph(model.Graph, scope, model.Graph.Inputs.Select(i => i.Type).ToList());
        return new InferenceResult(scope.Types, scope.Constants, engine.diagnostics);
    }

    private IReadOnlyList<IrType?> InferGraph(Graph graph, Scope scope, IReadOnlyList<IrType?> inputTypes)
    {
        for (int i = 0; i < graph.Inputs.Length; i++)
        {
            var type = i < inputTypes.Count ? Merge(inputTypes[i], graph.Inputs[i].Type, null, graph.Inputs[i].Name) : graph.Inputs[i].Type;
            scope.SetType(graph.Inputs[i].Name, type);
        }
        foreach (var init in graph.Initializers)
        {
            scope.SetType(init.Name, init.Value.Type);
            scope.Constants[init.Name] = init.Value;
        }
        var order = GraphAlgorithms.TopologicalOrder(graph) ?? graph.Nodes;
        foreach (var node in order)
        {
            InferNode(graph, node, scope);
        }
        return graph.Outputs.Select(o => Merge(scope.TypeOf(o.Name), o.Type, null, o.Name)).ToList();
    }

    private void InferNode(Graph graph, Node node, Scope scope)
    {
        var op = registry.Find(node.Domain, node.OpType);
        int? opset = opsetOf(node.Domain);
        IReadOnlyList<IrType?>? inferred = null;
        if (op is not null && opset is int version && version >= op.SinceVersion)
        {
            var context = new Context(this, node, op, version, scope);
            try
            {
                inferred = op.InferTypes(context);
                TryFold(node, op, version, scope);
                KeepInferredValues(node, op.InferValues(context), scope);
            }
            catch (InvalidNodeException e)
            {
                diagnostics.Add(Diagnostic.Error("type.invalid-node", e.Message, SourceLocation.OfNode(node)));
            }
        }
        for (int i = 0; i < node.Outputs.Length; i++)
        {
            string name = node.Outputs[i];
            if (name.Length == 0)
            {
                continue;
            }
            var fromOp = inferred is not null && i < inferred.Count ? inferred[i] : null;
            scope.SetType(name, Merge(fromOp, graph.TypeOf(name), node, name));
        }
    }

    /// <summary>Evaluates a node whose inputs are all small constants, so later shapes can use its value.</summary>
    private void TryFold(Node node, OpDefinition op, int opset, Scope scope)
    {
        if (node.Subgraphs.Any() || NonDeterministic.Contains(node.OpType))
        {
            return;
        }
        var inputs = new Tensor?[node.Inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (node.Inputs[i].Length == 0)
            {
                continue;
            }
            if (scope.ConstantOf(node.Inputs[i]) is not Tensor t || t.Length > MaxFoldedElements)
            {
                return;
            }
            inputs[i] = t;
        }
        var outputs = ConstantEvaluator.TryEvaluate(node, op, opset, inputs);
        if (outputs is null)
        {
            return;
        }
        for (int i = 0; i < node.Outputs.Length && i < outputs.Count; i++)
        {
            if (node.Outputs[i].Length > 0 && outputs[i] is Tensor value && value.Length <= MaxFoldedElements)
            {
                scope.Constants[node.Outputs[i]] = value;
            }
        }
    }

    /// <summary>Keeps the output values an op knows from its input types (Shape, Size) as constants.</summary>
    private static void KeepInferredValues(Node node, IReadOnlyList<Tensor?>? values, Scope scope)
    {
        for (int i = 0; values is not null && i < node.Outputs.Length && i < values.Count; i++)
        {
            if (node.Outputs[i].Length > 0 && values[i] is Tensor value && value.Length <= MaxFoldedElements)
            {
                scope.Constants[node.Outputs[i]] = value;
            }
        }
    }

    private static readonly HashSet<string> NonDeterministic =
        ["RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout"];

    /// <summary>
    /// Combines an inferred type with a declared one: they must agree where both are known; the
    /// result keeps the more specific of each dimension.
    /// </summary>
    private IrType? Merge(IrType? inferred, IrType? declared, Node? node, string name)
    {
        if (inferred is null)
        {
            return declared;
        }
        if (declared is null)
        {
            return inferred;
        }
        if (inferred is TensorType ti && declared is TensorType td)
        {
            if (MoreSpecific(ti.ElementType, td.ElementType) is not ElementType element)
            {
                Mismatch(node, name, inferred, declared);
                return declared;
            }
            if (!ti.Shape.IsRankKnown)
            {
                return new TensorType(element, td.Shape);
            }
            if (!td.Shape.IsRankKnown)
            {
                return new TensorType(element, ti.Shape);
            }
            if (ti.Shape.Rank != td.Shape.Rank)
            {
                Mismatch(node, name, inferred, declared);
                return declared;
            }
            var dims = new Dim[ti.Shape.Rank];
            for (int i = 0; i < dims.Length; i++)
            {
                Dim a = ti.Shape[i], b = td.Shape[i];
                if (a.IsKnown && b.IsKnown && a.Value != b.Value)
                {
                    Mismatch(node, name, inferred, declared);
                    return declared;
                }
                dims[i] = a.IsKnown ? a : b.IsKnown ? b : b.IsSymbolic ? b : a;
            }
            return new TensorType(element, new Shape(dims));
        }
        if (inferred.GetType() != declared.GetType())
        {
            Mismatch(node, name, inferred, declared);
        }
        return declared;
    }

    /// <summary>
    /// The element type that satisfies both: they are equal, or one is a quantised or fixed-point
    /// reading of the other's plain storage (an integer op computes int8; the graph declares which
    /// scale and zero point those int8 mean), or the declaration narrows a quantised grid to fewer
    /// bits. Null when they contradict each other.
    /// </summary>
    private static ElementType? MoreSpecific(ElementType inferred, ElementType declared)
    {
        if (inferred.Equals(declared))
        {
            return declared;
        }
        if (inferred is ScalarType && declared is QuantizedType or FixedPointType && declared.Storage == inferred.Storage)
        {
            return declared;
        }
        if (declared is ScalarType && inferred is QuantizedType or FixedPointType && inferred.Storage == declared.Storage)
        {
            return inferred;
        }
        // A narrower grid of the same scheme: a Clip of int8 values to [-8, 7] declared as 4-bit.
        if (inferred is QuantizedType wide && declared is QuantizedType narrow && narrow.Bits < wide.Bits && narrow.Storage == wide.Storage
            && narrow.Signed == wide.Signed && narrow.Axis == wide.Axis && narrow.Scales.SequenceEqual(wide.Scales) && narrow.ZeroPoints.SequenceEqual(wide.ZeroPoints))
        {
            return declared;
        }
        return null;
    }

    private void Mismatch(Node? node, string name, IrType inferred, IrType declared) =>
        diagnostics.Add(Diagnostic.Error("type.mismatch",
            $"value '{name}' is declared as {declared} but {(node is null ? "is given" : "the op computes")} {inferred}",
            node is null ? null : SourceLocation.OfNode(node)));

    /// <summary>Types and constants of one graph level, seeing the levels around it.</summary>
    private sealed class Scope(Scope? parent)
    {
        public Dictionary<string, IrType> Types { get; } = [];
        public Dictionary<string, Tensor> Constants { get; } = [];

        public void SetType(string name, IrType? type)
        {
            if (type is not null)
            {
                Types[name] = type;
            }
        }

        public IrType? TypeOf(string name) => Types.TryGetValue(name, out var t) ? t : parent?.TypeOf(name);

        public Tensor? ConstantOf(string name) => Constants.TryGetValue(name, out var c) ? c : parent?.ConstantOf(name);
    }

    private sealed class Context(TypeInference engine, Node node, OpDefinition op, int opset, Scope scope) : InferenceContext
    {
        public override Node Node => node;
        public override OpDefinition Op => op;
        public override int Opset => opset;
        public override int InputCount => node.Inputs.Length;
        public override int OutputCount => node.Outputs.Length;

        public override IrType? InputType(int index) =>
            index < node.Inputs.Length && node.Inputs[index].Length > 0 ? scope.TypeOf(node.Inputs[index]) : null;

        public override Tensor? ConstantInput(int index) =>
            index < node.Inputs.Length && node.Inputs[index].Length > 0 ? scope.ConstantOf(node.Inputs[index]) : null;

        public override IReadOnlyList<IrType?> InferSubgraph(Graph subgraph, IReadOnlyList<IrType?> inputTypes) =>
            engine.InferGraph(subgraph, new Scope(scope), inputTypes);
    }
}

/// <summary>What inference learned: a type for every value it could type, constants it could compute, and problems.</summary>
public sealed record InferenceResult(
    IReadOnlyDictionary<string, IrType> Types,
    IReadOnlyDictionary<string, Tensor> Constants,
    IReadOnlyList<Diagnostic> Diagnostics);
