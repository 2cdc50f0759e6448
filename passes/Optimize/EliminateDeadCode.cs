using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Removes nodes that contribute to no graph output, initializers nothing reads and type
/// annotations of values that no longer exist. A node whose subgraph reads an outer value keeps
/// that value alive. Subgraph bodies are not pruned inside (a body's outputs are its interface).
/// Graph inputs stay: they are the model's interface even when unused.
/// </summary>
public sealed class EliminateDeadCode : Pass
{
    public const string PassName = "eliminate-dead-code";

    public override string Name => PassName;
    public override string Description => "remove nodes no output depends on and unused initializers";
    public override GraphProperties Preserves => GraphProperties.All;
    public override GraphProperties Establishes => GraphProperties.NoDeadCode;

    public override Model Run(Model model, PassContext context)
    {
        var graph = model.Graph;
        var live = GraphAlgorithms.NodesReachingOutputs(graph);
        var nodes = graph.Nodes.Where(live.Contains).ToList();
        var read = new HashSet<string>(nodes.SelectMany(GraphAlgorithms.ReadsOf));
        read.UnionWith(graph.Outputs.Select(o => o.Name));
        var initializers = graph.Initializers.Where(i => read.Contains(i.Name) || graph.IsInput(i.Name)).ToList();
        var defined = new HashSet<string>(nodes.SelectMany(n => n.Outputs));
        var valueInfo = graph.ValueInfo.Where(v => defined.Contains(v.Name)).ToList();
        if (nodes.Count == graph.Nodes.Length && initializers.Count == graph.Initializers.Length && valueInfo.Count == graph.ValueInfo.Length)
        {
            return model;
        }
        return model.WithGraph(graph.With(nodes: nodes, initializers: initializers, valueInfo: valueInfo));
    }
}
