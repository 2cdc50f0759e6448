using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// A model made static for code generation: symbolic dimensions bound to the sizes the options
/// give (default 1), every value typed with a fully known shape, and every node that depends
/// only on constants (Constant, Shape of a now static input, arithmetic on weights) evaluated at
/// compile time by the reference interpreter's ops. What is left are the nodes that run.
/// </summary>
public sealed class BoundModel
{
    private readonly Dictionary<string, TensorType> types;
    private readonly Dictionary<string, Tensor> constants;

    private BoundModel(Model model, Graph graph, Dictionary<string, TensorType> types, Dictionary<string, Tensor> constants,
        IReadOnlyList<Node> runtimeNodes, IReadOnlyList<Diagnostic> diagnostics)
    {
        Model = model;
        Graph = graph;
        this.types = types;
        this.constants = constants;
        RuntimeNodes = runtimeNodes;
        Diagnostics = diagnostics;
    }

    public Model Model { get; }

    /// <summary>The graph with its inputs' symbolic dimensions replaced by their bound sizes.</summary>
    public Graph Graph { get; }

    /// <summary>The nodes that run, in an order where every value is computed before it is read.</summary>
    public IReadOnlyList<Node> RuntimeNodes { get; }

    /// <summary>What stops binding: a dimension without a size, a value whose shape stays unknown.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool IsConstant(string value) => constants.ContainsKey(value);

    public Tensor? Constant(string value) => constants.GetValueOrDefault(value);

    public TensorType? TypeOf(string value) => types.GetValueOrDefault(value);

    public int[] ShapeOf(string value) => types[value].Shape.ToSizes();

    public static BoundModel Bind(Model model, TargetOptions options)
    {
        var diagnostics = new List<Diagnostic>();
        var inputs = model.Graph.Inputs.Select(input => BindInput(input, options, diagnostics)).ToList();
        var graph = model.Graph.With(inputs: inputs);
        var bound = model.WithGraph(graph);
        var inference = TypeInference.Run(bound);
        diagnostics.AddRange(inference.Diagnostics.Where(d => d.Severity == Severity.Error));

        var types = new Dictionary<string, TensorType>(StringComparer.Ordinal);
        foreach (var (name, type) in inference.Types)
        {
            if (type is TensorType t)
            {
                types[name] = t;
            }
        }
        var constants = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var init in graph.Initializers)
        {
            constants[init.Name] = init.Value;
        }
        var order = GraphAlgorithms.TopologicalOrder(graph) ?? graph.Nodes;
        var runtime = new List<Node>();
        foreach (var node in order)
        {
            if (TryFold(bound, node, inference, constants))
            {
                continue;
            }
            runtime.Add(node);
            foreach (var output in node.Outputs.Where(o => o.Length > 0))
            {
                if (!types.TryGetValue(output, out var type) || !type.Shape.IsFullyKnown)
                {
                    diagnostics.Add(Diagnostic.Error("cpu.shape",
                        $"the shape of '{output}' is not known at compile time ({(type is null ? "no type" : type.ToString())}); the CPU target needs static shapes (bind symbolic dimensions with --dim)",
                        SourceLocation.OfNode(node)));
                }
            }
        }
        return new BoundModel(bound, graph, types, constants, runtime, diagnostics);
    }

    private static ValueInfo BindInput(ValueInfo input, TargetOptions options, List<Diagnostic> diagnostics)
    {
        if (input.Type is not TensorType { Shape.IsRankKnown: true } type)
        {
            diagnostics.Add(Diagnostic.Error("cpu.input", $"input '{input.Name}' is {(input.Type is null ? "of unknown type" : $"a {input.Type}")}; the CPU target needs tensors of known rank"));
            return input;
        }
        var dims = type.Shape.Dims.Select(d =>
        {
            if (d.IsKnown)
            {
                return d;
            }
            if (d.Symbol is string symbol)
            {
                return Dim.Known(options.SizeOf(symbol));
            }
            diagnostics.Add(Diagnostic.Error("cpu.input", $"input '{input.Name}' ({type}) has a dimension without a size or a name; the CPU target cannot bind it"));
            return Dim.Known(1);
        });
        return input with { Type = type.WithShape(new Shape(dims)) };
    }

    /// <summary>Evaluates a node whose every input is a constant; true when its outputs became constants.</summary>
    private static bool TryFold(Model model, Node node, InferenceResult inference, Dictionary<string, Tensor> constants)
    {
        var outputs = node.Outputs.Where(o => o.Length > 0).ToList();
        if (outputs.Count > 0 && outputs.All(o => inference.Constants.ContainsKey(o)))
        {
            foreach (var output in outputs)
            {
                constants[output] = inference.Constants[output];
            }
            return true;
        }
        if (node.Subgraphs.Any() || node.OpType is "RandomNormal" or "RandomUniform" or "RandomNormalLike" or "RandomUniformLike" or "Multinomial" or "Bernoulli")
        {
            return false;
        }
        var values = new Tensor?[node.Inputs.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (node.Inputs[i].Length == 0)
            {
                continue;
            }
            if (!constants.TryGetValue(node.Inputs[i], out var value))
            {
                return false;
            }
            values[i] = value;
        }
        var op = OpRegistry.Default.Find(node.Domain, node.OpType);
        if (op is null || model.OpsetOf(node.Domain) is not int opset)
        {
            return false;
        }
        var results = ConstantEvaluator.TryEvaluate(node, op, opset, values);
        if (results is null)
        {
            return false;
        }
        for (int i = 0; i < node.Outputs.Length; i++)
        {
            if (node.Outputs[i].Length > 0)
            {
                if (i >= results.Count || results[i] is not Tensor t)
                {
                    return false;
                }
                constants[node.Outputs[i]] = t;
            }
        }
        return true;
    }
}
