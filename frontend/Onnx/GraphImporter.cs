using System.Text;
using Google.Protobuf;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Frontend.Onnx.Qonnx;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>
/// Converts one GraphProto (and, recursively, the subgraphs in its attributes) into an IR graph.
/// Problems are collected, not thrown one at a time, so a user sees all of them at once.
/// </summary>
internal sealed class GraphImporter(TensorProtoReader tensors, List<Diagnostic> diagnostics, string? fileName)
{
    public Graph Import(GraphProto proto)
    {
        var initializers = new List<Initializer>();
        foreach (var init in proto.Initializer)
        {
            if (TryRead(() => tensors.Read(init), init.Name) is Tensor t)
            {
                initializers.Add(new Initializer(init.Name, t));
            }
        }
        foreach (var sparse in proto.SparseInitializer)
        {
            if (TryRead(() => SparseTensors.ToDense(sparse, tensors), sparse.Values?.Name ?? "") is Tensor t)
            {
                initializers.Add(new Initializer(sparse.Values?.Name ?? "", t));
            }
        }
        var initializerNames = initializers.Select(i => i.Name).ToHashSet();

        // Before IR 4 every initializer was also listed as a graph input; such inputs are constants, not inputs.
        var inputs = proto.Input.Where(i => !initializerNames.Contains(i.Name)).Select(ValueInfoOf).ToList();
        var outputs = proto.Output.Select(ValueInfoOf).ToList();
        var valueInfo = proto.ValueInfo.Select(ValueInfoOf).Where(v => v.Type is not null).ToList();

        var names = new NodeNamer(proto.Node.Select(n => n.Name));
        var nodes = proto.Node.Select(n => ImportNode(n, names)).ToList();
        var valueNames = initializerNames.Concat(inputs.Select(i => i.Name)).Concat(nodes.SelectMany(n => n.Outputs)).ToHashSet();
        nodes = ChannelsLastLowering.Lower(nodes, valueNames);
        return new Graph(proto.Name, inputs, outputs, nodes, initializers, valueInfo, proto.DocString);
    }

    private Node ImportNode(NodeProto proto, NodeNamer names)
    {
        var attributes = new List<KeyValuePair<string, AttributeValue>>();
        string nodeName = names.NameFor(proto);
        foreach (var attribute in proto.Attribute)
        {
            if (attributes.Any(a => a.Key == attribute.Name))
            {
                diagnostics.Add(Diagnostic.Error("onnx.attribute", $"attribute '{attribute.Name}' appears more than once",
                    new SourceLocation(fileName, Node: nodeName, OpType: proto.OpType)));
                continue;
            }
            try
            {
                attributes.Add(new(attribute.Name, ImportAttribute(attribute, nodeName)));
            }
            catch (Exception e) when (e is FormatException or NeuriteException or ArgumentException)
            {
                diagnostics.Add(Diagnostic.Error("onnx.attribute", $"attribute '{attribute.Name}': {e.Message}",
                    new SourceLocation(fileName, Node: nodeName, OpType: proto.OpType)));
            }
        }
        return new Node(nodeName, proto.OpType, proto.Input, proto.Output, attributes, QonnxDomains.Canonical(proto.Domain));
    }

    private AttributeValue ImportAttribute(AttributeProto a, string nodeName)
    {
        if (a.RefAttrName.Length > 0)
        {
            throw new FormatException($"refers to function attribute '{a.RefAttrName}' outside a function body");
        }
        var kind = a.HasType ? a.Type : GuessKind(a);
        return kind switch
        {
            AttributeProto.Types.AttributeType.Float => AttributeValue.FromFloat(a.F),
            AttributeProto.Types.AttributeType.Int => AttributeValue.FromInt(a.I),
            AttributeProto.Types.AttributeType.String => AttributeValue.FromString(Utf8(a.S)),
            AttributeProto.Types.AttributeType.Tensor => AttributeValue.FromTensor(tensors.Read(Present(a.T, "tensor"), $"{nodeName}.{a.Name}")),
            AttributeProto.Types.AttributeType.SparseTensor => AttributeValue.FromTensor(SparseTensors.ToDense(Present(a.SparseTensor, "sparse tensor"), tensors)),
            AttributeProto.Types.AttributeType.Graph => AttributeValue.FromGraph(Import(Present(a.G, "graph"))),
            AttributeProto.Types.AttributeType.TypeProto => AttributeValue.FromType(OnnxTypes.ToValueType(a.Tp) ?? throw new FormatException("empty type")),
            AttributeProto.Types.AttributeType.Floats => AttributeValue.FromFloats(a.Floats),
            AttributeProto.Types.AttributeType.Ints => AttributeValue.FromInts(a.Ints),
            AttributeProto.Types.AttributeType.Strings => AttributeValue.FromStrings(a.Strings.Select(Utf8)),
            AttributeProto.Types.AttributeType.Tensors => AttributeValue.FromTensors(a.Tensors.Select(t => tensors.Read(t, $"{nodeName}.{a.Name}"))),
            AttributeProto.Types.AttributeType.Graphs => AttributeValue.FromGraphs(a.Graphs.Select(Import)),
            AttributeProto.Types.AttributeType.TypeProtos => AttributeValue.FromTypes(a.TypeProtos.Select(t => OnnxTypes.ToValueType(t) ?? throw new FormatException("empty type"))),
            _ => throw new FormatException($"has no value (type {kind})"),
        };
    }

    private static T Present<T>(T? value, string kind) where T : class =>
        value ?? throw new FormatException($"is declared to hold a {kind} but holds none");

    /// <summary>IR version 1 attributes carry no type field: infer it from which field is set.</summary>
    private static AttributeProto.Types.AttributeType GuessKind(AttributeProto a) =>
        a.HasF ? AttributeProto.Types.AttributeType.Float
        : a.HasI ? AttributeProto.Types.AttributeType.Int
        : a.HasS ? AttributeProto.Types.AttributeType.String
        : a.T is not null ? AttributeProto.Types.AttributeType.Tensor
        : a.G is not null ? AttributeProto.Types.AttributeType.Graph
        : a.Floats.Count > 0 ? AttributeProto.Types.AttributeType.Floats
        : a.Ints.Count > 0 ? AttributeProto.Types.AttributeType.Ints
        : a.Strings.Count > 0 ? AttributeProto.Types.AttributeType.Strings
        : a.Tensors.Count > 0 ? AttributeProto.Types.AttributeType.Tensors
        : a.Graphs.Count > 0 ? AttributeProto.Types.AttributeType.Graphs
        : AttributeProto.Types.AttributeType.Undefined;

    private static string Utf8(ByteString bytes) => Encoding.UTF8.GetString(bytes.Span);

    private ValueInfo ValueInfoOf(ValueInfoProto info)
    {
        IrType? type = null;
        try
        {
            type = OnnxTypes.ToValueType(info.Type);
            if (type is TensorType tensor && info.MetadataProps.Count > 0)
            {
                type = new TensorType(ElementTypeAnnotation.Read(info.MetadataProps, tensor.ElementType), tensor.Shape);
            }
        }
        catch (FormatException e)
        {
            diagnostics.Add(Diagnostic.Error("onnx.type", $"value '{info.Name}': {e.Message}", new SourceLocation(fileName)));
        }
        return new ValueInfo(info.Name, type);
    }

    private Tensor? TryRead(Func<Tensor> read, string name)
    {
        try
        {
            return read();
        }
        catch (NeuriteException e)
        {
            diagnostics.AddRange(e.Diagnostics.Select(d => d with { Location = d.Location ?? new SourceLocation(fileName) }));
            return null;
        }
    }

    /// <summary>Gives unnamed nodes a readable unique name ("Conv_3"), so every diagnostic can point at one.</summary>
    private sealed class NodeNamer(IEnumerable<string> existing)
    {
        private readonly HashSet<string> used = existing.Where(n => n.Length > 0).ToHashSet();
        private int counter;

        public string NameFor(NodeProto node)
        {
            if (node.Name.Length > 0)
            {
                return node.Name;
            }
            string candidate;
            do
            {
                candidate = $"{node.OpType}_{counter++}";
            }
            while (!used.Add(candidate));
            return candidate;
        }
    }
}
