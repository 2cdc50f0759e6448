using System.Globalization;
using System.Text;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// A deterministic, line-per-node text form of a model for IR dumps and diffs between passes.
/// Not a language (nothing parses it back): constants show their type and a short digest, not
/// their values, so a dump of a 100 MB model stays readable.
/// </summary>
public static class PlainTextIrWriter
{
    public static string Write(Model model)
    {
        var text = new StringBuilder();
        text.Append("opsets ").AppendJoin(", ", model.Opsets.Select(p => $"{OpDomains.Display(p.Key)}={p.Value}")).Append('\n');
        WriteGraph(model.Graph, text, indent: "");
        return text.ToString();
    }

    private static void WriteGraph(Graph graph, StringBuilder text, string indent)
    {
        var types = graph.ValueInfo.Where(v => v.Type is not null).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First().Type!);
        text.Append(indent).Append("graph ").Append(graph.Name).Append(" (")
            .AppendJoin(", ", graph.Inputs.Select(i => i.ToString())).Append(") -> (")
            .AppendJoin(", ", graph.Outputs.Select(o => o.ToString())).Append(")\n");
        foreach (var init in graph.Initializers)
        {
            text.Append(indent).Append("  const ").Append(init.Name).Append(": ").Append(init.Value.Type)
                .Append(" ").Append(Digest(init.Value)).Append('\n');
        }
        foreach (var node in graph.Nodes)
        {
            text.Append(indent).Append("  ");
            text.AppendJoin(", ", node.Outputs.Select(o => o.Length == 0 ? "_" : types.TryGetValue(o, out var t) ? $"{o}: {t}" : o));
            text.Append(" = ").Append(node.QualifiedOpType).Append('(').AppendJoin(", ", node.Inputs.Select(i => i.Length == 0 ? "_" : i)).Append(')');
            var plain = node.Attributes.Where(a => !a.Value.Subgraphs.Any()).ToList();
            if (plain.Count > 0)
            {
                text.Append(" {").AppendJoin(", ", plain.Select(a => $"{a.Key}={Format(a.Value)}")).Append('}');
            }
            text.Append("  # ").Append(node.Name).Append('\n');
            foreach (var (name, value) in node.Attributes)
            {
                foreach (var subgraph in value.Subgraphs)
                {
                    text.Append(indent).Append("    ").Append(name).Append(":\n");
                    WriteGraph(subgraph, text, indent + "      ");
                }
            }
        }
    }

    private static string Format(AttributeValue value) => value.Kind == AttributeKind.Tensor
        ? $"{value.AsTensor().Type} {Digest(value.AsTensor())}"
        : value.ToString();

    /// <summary>Small tensors print their values; large ones a checksum, so dumps of two passes diff where the weights changed.</summary>
    private static string Digest(Tensor tensor)
    {
        if (tensor.DataType != DataType.String && tensor.Length <= 8)
        {
            return "[" + string.Join(", ", Enumerable.Range(0, tensor.Length).Select(i => tensor.GetDouble(i).ToString("G7", CultureInfo.InvariantCulture))) + "]";
        }
        if (tensor.DataType == DataType.String)
        {
            return $"<{tensor.Length} strings>";
        }
        ulong hash = 14695981039346656037UL;
        foreach (byte b in tensor.Bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return $"<fnv1a {hash:x16}>";
    }
}
