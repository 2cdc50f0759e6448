using System.Globalization;
using System.Text;
using Neurite.Ir;

namespace Neurite.Frontend.Graphviz;

/// <summary>
/// Writes a model's main graph in Graphviz's DOT language: one box per node labelled with its op,
/// its name, the type and shape of what it computes and the attributes that matter to a reader
/// (quantisation scales and zero points, spiking thresholds, reset modes and time steps, fused
/// activations, kernel sizes); graph inputs and outputs as ellipses; weights listed inside the
/// node that reads them. The text depends only on the model, so drawings diff cleanly.
/// Subgraphs (If/Loop/Scan bodies) are summarised in their node's label, not drawn.
/// </summary>
public static class DotWriter
{
    /// <summary>Attribute lists longer than this are shown as their length.</summary>
    private const int MaxListedValues = 6;

    public static string Write(Model model)
    {
        var graph = model.Graph;
        var types = TypeInference.Run(model).Types;
        var text = new StringBuilder();
        text.Append("digraph ").Append(Quote(graph.Name.Length > 0 ? graph.Name : "graph")).Append(" {\n");
        text.Append("  rankdir=TB;\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f4f4\", fontname=\"Helvetica\", fontsize=10];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
        var ids = new Dictionary<string, string>();
        for (int i = 0; i < graph.Inputs.Length; i++)
        {
            var input = graph.Inputs[i];
            if (graph.IsInitializer(input.Name))
            {
                continue;
            }
            string id = $"input{i}";
            ids[input.Name] = id;
            text.Append("  ").Append(id).Append(" [shape=ellipse, fillcolor=\"#dbe9f6\", label=")
                .Append(Quote($"{input.Name}\n{TypeText(input.Type)}")).Append("];\n");
        }
        var order = GraphAlgorithms.TopologicalOrder(graph) ?? graph.Nodes;
        for (int i = 0; i < order.Count; i++)
        {
            var node = order[i];
            string id = $"node{i}";
            foreach (var output in node.Outputs.Where(o => o.Length > 0))
            {
                ids[output] = id;
            }
            text.Append("  ").Append(id).Append(" [");
            if (Highlight(node) is string color)
            {
                text.Append("fillcolor=\"").Append(color).Append("\", ");
            }
            text.Append("label=").Append(Quote(Label(node, graph, types))).Append("];\n");
        }
        for (int i = 0; i < graph.Outputs.Length; i++)
        {
            var output = graph.Outputs[i];
            text.Append("  output").Append(i).Append(" [shape=ellipse, fillcolor=\"#e3f2dc\", label=")
                .Append(Quote($"{output.Name}\n{TypeText(output.Type ?? types.GetValueOrDefault(output.Name))}")).Append("];\n");
        }
        for (int i = 0; i < order.Count; i++)
        {
            foreach (var input in order[i].Inputs.Distinct().Where(ids.ContainsKey))
            {
                text.Append("  ").Append(ids[input]).Append(" -> node").Append(i).Append(";\n");
            }
        }
        for (int i = 0; i < graph.Outputs.Length; i++)
        {
            if (ids.TryGetValue(graph.Outputs[i].Name, out var source))
            {
                text.Append("  ").Append(source).Append(" -> output").Append(i).Append(";\n");
            }
        }
        return text.Append("}\n").ToString();
    }

    private static string Label(Node node, Graph graph, IReadOnlyDictionary<string, IrType> types)
    {
        var lines = new List<string> { node.QualifiedOpType };
        if (node.Name.Length > 0)
        {
            lines.Add(node.Name);
        }
        foreach (var output in node.Outputs.Where(o => o.Length > 0))
        {
            lines.Add($"→ {TypeText(types.GetValueOrDefault(output) ?? graph.TypeOf(output))}");
        }
        foreach (var input in node.Inputs.Where(i => i.Length > 0 && graph.IsInitializer(i) && !graph.IsInput(i)))
        {
            var value = graph.Initializer(input)!;
            lines.Add(value.Length <= 2 && value.DataType != DataType.String
                ? $"{input} = {string.Join(", ", Enumerable.Range(0, value.Length).Select(k => Number(value.GetDouble(k))))}"
                : $"{input}: {value.Type}");
        }
        foreach (var (name, value) in node.Attributes)
        {
            if (value.Kind == AttributeKind.Tensor && value.AsTensor() is { Length: <= 4 } small && small.DataType != DataType.String)
            {
                // Constant nodes hold quantisation scales and zero points: show them.
                lines.Add($"{name} = {string.Join(", ", Enumerable.Range(0, small.Length).Select(k => Number(small.GetDouble(k))))}");
            }
            else if (Describe(value) is string shown)
            {
                lines.Add($"{name}={shown}");
            }
        }
        foreach (var (name, value) in node.Attributes)
        {
            foreach (var subgraph in value.Subgraphs)
            {
                lines.Add($"{name}: graph {subgraph.Name} ({subgraph.Nodes.Length} nodes)");
            }
        }
        return string.Join("\n", lines);
    }

    /// <summary>Scalars and short lists; tensors, graphs and long lists are left out of the picture.</summary>
    private static string? Describe(AttributeValue value) => value.Kind switch
    {
        AttributeKind.Float or AttributeKind.Int or AttributeKind.String => value.ToString(),
        AttributeKind.Ints => value.AsInts().Length <= MaxListedValues ? value.ToString() : $"[{value.AsInts().Length} values]",
        AttributeKind.Floats => value.AsFloats().Length <= MaxListedValues ? value.ToString() : $"[{value.AsFloats().Length} values]",
        AttributeKind.Strings => value.AsStrings().Length <= MaxListedValues ? value.ToString() : $"[{value.AsStrings().Length} strings]",
        AttributeKind.Type => value.ToString(),
        _ => null,
    };

    /// <summary>Quantised and spiking nodes stand out: they carry the parameters a hardware target cares about.</summary>
    private static string? Highlight(Node node) => node switch
    {
        { Domain: OpDomains.Neurite, OpType: "IntegrateAndFire" } => "#fde2c8",
        { Domain: OpDomains.Neurite } => "#e6dcf5",
        { OpType: "QuantizeLinear" or "DequantizeLinear" or "DynamicQuantizeLinear" } => "#fff3bf",
        _ when node.OpType.StartsWith("QLinear", StringComparison.Ordinal) || node.OpType.EndsWith("Integer", StringComparison.Ordinal) => "#fff3bf",
        _ => null,
    };

    private static string TypeText(IrType? type) => type?.ToString() ?? "type unknown";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A DOT string: quotes and backslashes escaped, line breaks as centred-line escapes.</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
