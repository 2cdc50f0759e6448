using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Evaluates, with the interpreter's own op semantics, every node of the main graph whose inputs
/// are all constants, and replaces it by initializers under the same names; Constant nodes become
/// initializers too. Values shape inference knows (Shape of a statically shaped tensor and the
/// Gather/Concat/Unsqueeze/Reshape arithmetic exporters build on it) fold the same way, so a
/// Reshape whose target is computed from shapes ends up with a constant target.
/// Not folded: random and training-mode ops, nodes with subgraphs, nodes that define graph
/// outputs (an output stays computed), and results over <see cref="OptimizationLimits.MaxFoldedElements"/>
/// or larger than their inputs and 64 Ki elements together (a broadcast or ConstantOfShape would
/// bloat the model, not shrink it). An initializer that is also a graph input can be overridden
/// at run time and is not treated as a constant.
/// </summary>
public sealed class FoldConstants : Pass
{
    /// <summary>Results up to this size fold even when they are larger than their inputs (shape vectors, small tables).</summary>
    private const int FreeGrowthElements = 1 << 16;

    private static readonly HashSet<string> NonDeterministic =
        ["RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout"];

    public override string Name => "fold-constants";
    public override string Description => "evaluate nodes whose inputs are all constants (shape arithmetic included)";
    public override GraphProperties Preserves => GraphProperties.StaticShapes;

    public override Model Run(Model model, PassContext context)
    {
        var graph = model.Graph;
        bool overridable = graph.Initializers.Any(i => graph.IsInput(i.Name));
        var inferred = overridable ? new Dictionary<string, Tensor>() : TypeInference.Run(model, context.Registry).Constants;
        var known = graph.Initializers.Where(i => !graph.IsInput(i.Name)).GroupBy(i => i.Name).ToDictionary(g => g.Key, g => g.First().Value);
        var outputs = graph.Outputs.Select(o => o.Name).ToHashSet();
        var kept = new List<Node>();
        var folded = new List<Initializer>();
        foreach (var node in GraphAlgorithms.TopologicalOrder(graph) ?? graph.Nodes)
        {
            var values = Foldable(node, model, context, outputs) ? Evaluate(node, model, context, known, inferred) : null;
            if (values is null)
            {
                kept.Add(node);
                continue;
            }
            for (int i = 0; i < node.Outputs.Length; i++)
            {
                if (node.Outputs[i].Length > 0)
                {
                    known[node.Outputs[i]] = values[i]!;
                    folded.Add(new Initializer(node.Outputs[i], values[i]!));
                }
            }
        }
        if (folded.Count == 0)
        {
            return model;
        }
        var foldedNames = folded.Select(f => f.Name).ToHashSet();
        return model.WithGraph(graph.With(
            nodes: kept,
            initializers: graph.Initializers.Concat(folded),
            valueInfo: graph.ValueInfo.Where(v => !foldedNames.Contains(v.Name))));
    }

    private static bool Foldable(Node node, Model model, PassContext context, HashSet<string> graphOutputs) =>
        !node.Subgraphs.Any()
        && !NonDeterministic.Contains(node.OpType)
        && !node.Outputs.Any(graphOutputs.Contains)
        && node.Outputs.Any(o => o.Length > 0)
        && context.Registry.Find(node.Domain, node.OpType) is OpDefinition op
        && model.OpsetOf(node.Domain) is int opset && opset >= op.SinceVersion;

    private static Tensor?[]? Evaluate(Node node, Model model, PassContext context, Dictionary<string, Tensor> known, IReadOnlyDictionary<string, Tensor> inferred)
    {
        var fromInference = node.Outputs.Select(o => o.Length == 0 ? null : inferred.GetValueOrDefault(o)).ToArray();
        if (node.Outputs.Select((o, i) => o.Length == 0 || fromInference[i] is not null).All(x => x))
        {
            return fromInference;
        }
        var inputs = new Tensor?[node.Inputs.Length];
        long inputElements = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (node.Inputs[i].Length == 0)
            {
                continue;
            }
            if (!known.TryGetValue(node.Inputs[i], out var value))
            {
                return null;
            }
            inputs[i] = value;
            inputElements += value.Length;
        }
        var op = context.Registry.Find(node.Domain, node.OpType)!;
        var results = ConstantEvaluator.TryEvaluate(node, op, model.OpsetOf(node.Domain)!.Value, inputs);
        if (results is null)
        {
            return null;
        }
        var tensors = new Tensor?[node.Outputs.Length];
        for (int i = 0; i < node.Outputs.Length; i++)
        {
            if (node.Outputs[i].Length == 0)
            {
                continue;
            }
            if (i >= results.Count || results[i] is not Tensor t || !WithinLimits(t, inputElements, context.Limits))
            {
                return null;
            }
            tensors[i] = t;
        }
        return tensors;
    }

    private static bool WithinLimits(Tensor result, long inputElements, OptimizationLimits limits) =>
        result.Length <= limits.MaxFoldedElements && (result.Length <= FreeGrowthElements || result.Length <= inputElements);
}
