using System.Globalization;
using System.Text;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

public sealed record DslPrintOptions
{
    /// <summary>Tensors with more elements than this go to the side .npz file; smaller ones are written inline.</summary>
    public int InlineElementLimit { get; init; } = 32;
}

/// <summary>A printed program and the arrays its side file must hold (key to array, in order).</summary>
public sealed record DslDocument(string Text, string SideFile, IReadOnlyList<KeyValuePair<string, Tensor>> SideArrays);

/// <summary>
/// IR to the Neurite language: the IR's text form. The output is deterministic (same model,
/// same bytes), writes canonical ops only (helpers are for people), every node, attribute,
/// initializer, type annotation, opset and metadata field, so reading it back gives the same
/// model. Large tensors go to a side .npz file next to the text.
/// </summary>
public static class DslPrinter
{
    /// <summary>The program for <paramref name="model"/>, naming <paramref name="sideFile"/> (an .npz beside it) for large tensors.</summary>
    public static DslDocument Print(Model model, string sideFile, DslPrintOptions? options = null)
    {
        var writer = new Writer(sideFile, options ?? new DslPrintOptions());
        writer.Model(model);
        return new DslDocument(writer.Text, sideFile, writer.SideArrays);
    }

    /// <summary>
    /// Writes the program to <paramref name="path"/> (.nrt) and its large tensors to the .npz of
    /// the same name beside it. Both appear complete or not at all.
    /// </summary>
    public static DslDocument Save(Model model, string path, DslPrintOptions? options = null)
    {
        using var files = new StagedFiles();
        var document = Stage(model, path, files, options);
        files.Commit();
        return document;
    }

    /// <summary>
    /// Stages the program and its .npz in <paramref name="files"/>, for a caller that writes more
    /// files that must appear with them (a quantised model's report).
    /// </summary>
    public static DslDocument Stage(Model model, string path, StagedFiles files, DslPrintOptions? options = null)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        string sideFile = Path.ChangeExtension(Path.GetFileName(full), ".npz");
        var document = Print(model, sideFile, options);
        Directory.CreateDirectory(folder);
        if (document.SideArrays.Count > 0)
        {
            files.Write(Path.Combine(folder, sideFile), temporary => Npz.Write(document.SideArrays, temporary));
        }
        files.Write(full, temporary => File.WriteAllText(temporary, document.Text, new UTF8Encoding(false)));
        return document;
    }

    private sealed class Writer(string sideFile, DslPrintOptions options)
    {
        private readonly StringBuilder text = new();
        private readonly List<KeyValuePair<string, Tensor>> side = [];
        private readonly HashSet<string> keys = new(StringComparer.Ordinal);
        private int indent;

        public string Text => text.ToString();
        public IReadOnlyList<KeyValuePair<string, Tensor>> SideArrays => side;

        public void Model(Model model)
        {
            var graph = model.Graph;
            text.Append("model ").Append(DslNames.Format(graph.Name)).Append(Signature(graph)).Append(" {\n");
            indent++;
            foreach (var (domain, version) in model.Opsets)
            {
                Line($"opset {DslNames.Format(OpDomains.Display(domain))} {version}");
            }
            Metadata(model.Metadata);
            Body(graph, main: true);
            indent--;
            text.Append("}\n");
        }

        private void Metadata(ModelMetadata metadata)
        {
            if (metadata.IrVersion != 0)
            {
                Line($"meta ir_version = {metadata.IrVersion}");
            }
            foreach (var (field, value) in new[]
            {
                ("producer_name", metadata.ProducerName), ("producer_version", metadata.ProducerVersion),
                ("domain", metadata.Domain),
            })
            {
                if (value.Length > 0)
                {
                    Line($"meta {field} = {DslNames.FormatString(value)}");
                }
            }
            if (metadata.ModelVersion != 0)
            {
                Line($"meta model_version = {metadata.ModelVersion}");
            }
            if (metadata.DocString.Length > 0)
            {
                Line($"meta doc = {DslNames.FormatString(metadata.DocString)}");
            }
            foreach (var (key, value) in metadata.Properties)
            {
                Line($"meta {DslNames.FormatString(key)} = {DslNames.FormatString(value)}");
            }
        }

        private static string Signature(Graph graph) =>
            $"({string.Join(", ", graph.Inputs.Select(Declaration))}) -> ({string.Join(", ", graph.Outputs.Select(Declaration))})";

        private static string Declaration(ValueInfo info) =>
            info.Type is null ? DslNames.Format(info.Name) : $"{DslNames.Format(info.Name)}: {TypeSyntax.Format(info.Type)}";

        private void Body(Graph graph, bool main)
        {
            if (graph.DocString.Length > 0)
            {
                Line($"doc {DslNames.FormatString(graph.DocString)}");
            }
            bool archiveDeclared = false;
            foreach (var initializer in graph.Initializers)
            {
                string declaration = $"param {DslNames.Format(initializer.Name)}: {TypeSyntax.Format(initializer.Value.Type)}";
                if (!IsLarge(initializer.Value))
                {
                    Line($"{declaration} = {Inline(initializer.Value)}");
                    continue;
                }
                string key = Key(initializer.Name);
                side.Add(new(key, TensorValues.ForNpz(initializer.Value)));
                if (main && key == initializer.Name)
                {
                    if (!archiveDeclared)
                    {
                        Line($"params {DslNames.FormatString(sideFile)}");
                        archiveDeclared = true;
                    }
                    Line(declaration);
                }
                else
                {
                    Line($"{declaration} = {FileReference(key)}");
                }
            }
            var annotations = new Dictionary<string, IrType>(StringComparer.Ordinal);
            foreach (var info in graph.ValueInfo)
            {
                if (info.Type is not null)
                {
                    annotations.TryAdd(info.Name, info.Type);
                }
            }
            var computed = graph.Nodes.SelectMany(n => n.Outputs).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, type) in annotations.Where(a => !computed.Contains(a.Key)))
            {
                Line($"type {DslNames.Format(name)}: {TypeSyntax.Format(type)}");
            }
            foreach (var node in graph.Nodes)
            {
                Node(node, annotations);
            }
        }

        private void Node(Node node, IReadOnlyDictionary<string, IrType> annotations)
        {
            text.Append(' ', indent * 2);
            string defaultName = node.Outputs.FirstOrDefault(o => o.Length > 0) ?? "";
            if (node.Name != defaultName)
            {
                text.Append('@').Append(DslNames.Format(node.Name)).Append(' ');
            }
            var targets = node.Outputs.Select(o => o.Length == 0 ? DslNames.Absent
                : annotations.TryGetValue(o, out var type) ? $"{DslNames.Format(o)}: {TypeSyntax.Format(type)}" : DslNames.Format(o)).ToList();
            text.Append(targets.Count == 1 ? targets[0] : $"({string.Join(", ", targets)})");
            string op = node.Domain.Length == 0 ? node.OpType : $"{node.Domain}.{node.OpType}";
            text.Append(" = ").Append(DslNames.Format(op)).Append('(');
            text.Append(string.Join(", ", node.Inputs.Select(i => i.Length == 0 ? DslNames.Absent : DslNames.Format(i))));
            bool first = node.Inputs.Length == 0;
            foreach (var (name, value) in node.Attributes)
            {
                text.Append(first ? "" : ", ").Append(DslNames.Format(name)).Append('=');
                first = false;
                if (value.Kind is AttributeKind.Graph or AttributeKind.Graphs)
                {
                    Subgraphs(value, name);
                }
                else
                {
                    text.Append(Value(value, name));
                }
            }
            text.Append(")\n");
        }

        private void Subgraphs(AttributeValue value, string attribute)
        {
            if (value.Kind == AttributeKind.Graph)
            {
                Graph(value.AsGraph(), attribute);
                return;
            }
            var graphs = value.AsGraphs();
            if (graphs.Length == 0)
            {
                text.Append("graphs[]");
                return;
            }
            text.Append('[');
            for (int i = 0; i < graphs.Length; i++)
            {
                text.Append(i == 0 ? "" : ", ");
                Graph(graphs[i], attribute);
            }
            text.Append(']');
        }

        /// <summary>A subgraph inside the node's line: its body one level deeper, its closing brace at the node's level.</summary>
        private void Graph(Graph graph, string defaultName)
        {
            text.Append("graph ");
            if (graph.Name != defaultName)
            {
                text.Append(DslNames.Format(graph.Name)).Append(' ');
            }
            text.Append(Signature(graph)).Append(" {\n");
            indent++;
            Body(graph, main: false);
            indent--;
            text.Append(' ', indent * 2).Append('}');
        }

        private string Value(AttributeValue value, string attribute) => value.Kind switch
        {
            AttributeKind.Float => TensorValues.FormatFloat(value.AsFloat()),
            AttributeKind.Int => value.AsInt().ToString(CultureInfo.InvariantCulture),
            AttributeKind.String => DslNames.FormatString(value.AsString()),
            AttributeKind.Floats => List(value.AsFloats().Select(TensorValues.FormatFloat), "floats"),
            AttributeKind.Ints => $"[{string.Join(", ", value.AsInts().Select(v => v.ToString(CultureInfo.InvariantCulture)))}]",
            AttributeKind.Strings => List(value.AsStrings().Select(DslNames.FormatString), "strings"),
            AttributeKind.Tensor => Tensor(value.AsTensor(), attribute),
            AttributeKind.Tensors => List(value.AsTensors().Select((t, i) => Tensor(t, $"{attribute}_{i}")), "tensors"),
            AttributeKind.Type => $"type({TypeSyntax.Format(value.AsType())})",
            AttributeKind.Types => List(value.AsTypes().Select(t => $"type({TypeSyntax.Format(t)})"), "types"),
            _ => throw new InvalidOperationException($"attribute kind {value.Kind} is printed elsewhere"),
        };

        private static string List(IEnumerable<string> items, string emptyKind)
        {
            var list = items.ToList();
            return list.Count == 0 ? $"{emptyKind}[]" : $"[{string.Join(", ", list)}]";
        }

        private string Tensor(Tensor tensor, string keyStem)
        {
            string type = TypeSyntax.Format(tensor.Type);
            if (!IsLarge(tensor))
            {
                return $"tensor({type}, {Inline(tensor)})";
            }
            string key = Key(keyStem);
            side.Add(new(key, TensorValues.ForNpz(tensor)));
            return $"tensor({type}, {FileReference(key)})";
        }

        private bool IsLarge(Tensor tensor) => tensor.DataType != DataType.String && tensor.Length > options.InlineElementLimit;

        private static string Inline(Tensor tensor)
        {
            var items = new string[tensor.Length];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = TensorValues.FormatElement(tensor, i);
            }
            return $"[{string.Join(", ", items)}]";
        }

        private string FileReference(string key) => $"file({DslNames.FormatString(sideFile)}, key={DslNames.FormatString(key)})";

        /// <summary>A key of the side archive: the tensor's own name where free, else the name with a number.</summary>
        private string Key(string stem)
        {
            string key = stem.Length == 0 ? "tensor" : stem;
            for (int k = 1; !keys.Add(key); k++)
            {
                key = $"{stem}_{k}";
            }
            return key;
        }

        private void Line(string content) => text.Append(' ', indent * 2).Append(content).Append('\n');
    }
}
