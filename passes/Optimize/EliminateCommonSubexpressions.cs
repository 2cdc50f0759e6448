using System.Text;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Merges nodes that compute the same thing: same op, same inputs, same attributes. Small
/// identical constants (up to 4096 elements, same type and bytes) are merged first, so two
/// Reshapes with equal target-shape constants count as the same. Random ops and nodes with
/// subgraphs are never merged. Works on the main graph; subgraph bodies are left as they are.
/// </summary>
public sealed class EliminateCommonSubexpressions : Pass
{
    private const int MaxMergedConstantElements = 4096;

    private static readonly HashSet<string> NonDeterministic =
        ["RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout"];

    public override string Name => "eliminate-common-subexpressions";
    public override string Description => "merge nodes with the same op, inputs and attributes, and equal small constants";
    public override GraphProperties Preserves => GraphProperties.StaticShapes | GraphProperties.ShapesInferred;

    public override Model Run(Model model, PassContext context)
    {
        // Walking slots in topological order sees every node after its inputs were merged.
        var graph = model.Graph.With(nodes: GraphAlgorithms.TopologicalOrder(model.Graph) ?? model.Graph.Nodes);
        var editor = new GraphEditor(graph);
        int initial = editor.EditCount;
        var canonicalConstant = MergeConstants(graph, editor);
        var seen = new Dictionary<string, int>();
        for (int slot = 0; slot < editor.SlotCount; slot++)
        {
            if (editor.NodeAt(slot) is not Node current || current.Subgraphs.Any() || NonDeterministic.Contains(current.OpType))
            {
                continue;
            }
            string key = Key(current, canonicalConstant);
            if (!seen.TryGetValue(key, out int firstSlot))
            {
                seen[key] = slot;
                continue;
            }
            var first = editor.NodeAt(firstSlot)!;
            bool merged = true;
            for (int i = 0; i < current.Outputs.Length && merged; i++)
            {
                if (current.Outputs[i].Length > 0)
                {
                    merged = first.Outputs[i].Length > 0 && RewriteHelpers.TryForward(editor, current.Outputs[i], first.Outputs[i]);
                }
            }
        }
        if (editor.EditCount == initial)
        {
            return model;
        }
        editor.RemoveDeadNodes();
        return model.WithGraph(editor.Build());
    }

    /// <summary>Redirects reads of duplicate small constants to the first of them; returns each constant's representative.</summary>
    private static Dictionary<string, string> MergeConstants(Graph graph, GraphEditor editor)
    {
        var representative = new Dictionary<string, string>();
        var byContent = new Dictionary<string, string>();
        foreach (var init in graph.Initializers)
        {
            if (graph.IsInput(init.Name) || init.Value.Length > MaxMergedConstantElements || init.Value.DataType == DataType.String)
            {
                continue;
            }
            string content = $"{init.Value.Type}|{Convert.ToHexString(init.Value.Bytes)}";
            if (byContent.TryGetValue(content, out var first))
            {
                representative[init.Name] = first;
                if (!editor.IsGraphOutput(init.Name) && !editor.IsCaptured(init.Name))
                {
                    editor.ReplaceAllUses(init.Name, first);
                }
            }
            else
            {
                byContent[content] = init.Name;
                representative[init.Name] = init.Name;
            }
        }
        return representative;
    }

    private static string Key(Node node, Dictionary<string, string> canonicalConstant)
    {
        var key = new StringBuilder().Append(node.Domain).Append('|').Append(node.OpType).Append('(');
        foreach (var input in node.Inputs)
        {
            key.Append(canonicalConstant.GetValueOrDefault(input, input)).Append(',');
        }
        key.Append(")|").Append(node.Outputs.Length).Append('{');
        foreach (var (name, value) in node.Attributes)
        {
            key.Append(name).Append('=').Append(value.Kind == AttributeKind.Tensor
                ? $"{value.AsTensor().Type}:{Convert.ToHexString(value.AsTensor().Bytes)}"
                : value.ToString()).Append(';');
        }
        return key.Append('}').ToString();
    }
}
