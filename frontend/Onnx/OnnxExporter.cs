using System.Text;
using Google.Protobuf;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>
/// Writes IR back to ONNX: the same opsets, nodes, attributes, initializers and known value
/// types, so ONNX Runtime (or any ONNX tool) runs the export with the same results. The file is
/// written to a temporary name and moved into place, so a failure never leaves half a model.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The lowest IR version that lists initializers apart from graph inputs (the import drops them from the inputs).</summary>
    private const long MinimumIrVersion = 4;

    public static void Save(Model model, string path)
    {
        var proto = ToProto(model);
        using var files = new StagedFiles();
        files.Write(path, temporary =>
        {
            using var stream = File.Create(temporary);
            proto.WriteTo(stream);
        });
        files.Commit();
    }

    public static byte[] ToBytes(Model model) => ToProto(model).ToByteArray();

    internal static ModelProto ToProto(Model model)
    {
        try
        {
            var meta = model.Metadata;
            var proto = new ModelProto
            {
                IrVersion = new[] { meta.IrVersion, MinimumIrVersion, RequiredIrVersion(model.Graph), IrVersionOfOpset(model.OpsetOf("") ?? 1) }.Max(),
                ProducerName = meta.ProducerName.Length > 0 ? meta.ProducerName : "neurite",
                ProducerVersion = meta.ProducerVersion,
                Domain = meta.Domain,
                ModelVersion = meta.ModelVersion,
                DocString = meta.DocString,
                Graph = WriteGraph(model.Graph),
            };
            foreach (var (domain, version) in model.Opsets)
            {
                proto.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
            }
            foreach (var (key, value) in meta.Properties)
            {
                proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
            return proto;
        }
        catch (NotSupportedException e)
        {
            throw new NeuriteException("onnx.export", e.Message);
        }
    }

    /// <summary>The IR version released with an ai.onnx opset (ONNX 1.3 to 1.20), for models built in code.</summary>
    private static long IrVersionOfOpset(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        <= 24 => 11,
        _ => 12,
    };

    /// <summary>IR 9 introduced the float8 types, IR 10 the 4-bit ones, IR 11 float4 and float8e8m0, IR 12 the 2-bit ones.</summary>
    private static long RequiredIrVersion(Graph graph)
    {
        long version = 0;
        foreach (var type in StorageKinds(graph))
        {
            version = Math.Max(version, type switch
            {
                DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ => 9,
                DataType.Int4 or DataType.UInt4 => 10,
                DataType.Float4E2M1 or DataType.Float8E8M0 => 11,
                DataType.Int2 or DataType.UInt2 => 12,
                _ => 0,
            });
        }
        return version;
    }

    private static IEnumerable<DataType> StorageKinds(Graph graph) =>
        graph.Initializers.Select(i => i.Value.DataType)
            .Concat(graph.Inputs.Concat(graph.Outputs).Concat(graph.ValueInfo).Select(v => v.TensorType?.ElementType.Storage).OfType<DataType>())
            .Concat(graph.Nodes.SelectMany(n => n.Subgraphs).SelectMany(StorageKinds));

    private static GraphProto WriteGraph(Graph graph)
    {
        var proto = new GraphProto { Name = graph.Name, DocString = graph.DocString };
        proto.Input.AddRange(graph.Inputs.Select(WriteValueInfo));
        proto.Output.AddRange(graph.Outputs.Select(WriteValueInfo));
        var computedByOnnxOps = new HashSet<string>(graph.Nodes.Where(n => n.Domain is OpDomains.Onnx or OpDomains.Microsoft).SelectMany(n => n.Outputs), StringComparer.Ordinal);
        proto.ValueInfo.AddRange(graph.ValueInfo.Where(v => v.Type is not null).Select(v => WriteValueInfo(StorageWhereOpsCarryTheScheme(v, computedByOnnxOps))));
        proto.Initializer.AddRange(graph.Initializers.Select(i => TensorProtoWriter.Write(i.Value, i.Name)));
        proto.Node.AddRange(graph.Nodes.Select(WriteNode));
        return proto;
    }

    /// <summary>
    /// A quantised annotation on a value that a standard op computes (QuantizeLinear, QLinearConv,
    /// com.microsoft QLinearAdd, ...) is written as its storage type: the scheme is already in that
    /// op's scale and zero-point inputs, so nothing is lost. Anywhere else a quantised type stays an
    /// error at export (it has to be lowered to QDQ first).
    /// </summary>
    private static ValueInfo StorageWhereOpsCarryTheScheme(ValueInfo info, HashSet<string> computedByOnnxOps) =>
        info.Type is TensorType { ElementType: QuantizedType scheme } tensor && computedByOnnxOps.Contains(info.Name)
            ? info with { Type = new TensorType(ElementType.Of(scheme.Storage), tensor.Shape) }
            : info;

    /// <summary>A value's name and type; a fixed-point tensor as its storage, its type in metadata_props (<see cref="ElementTypeAnnotation"/>).</summary>
    private static ValueInfoProto WriteValueInfo(ValueInfo info)
    {
        var proto = new ValueInfoProto { Name = info.Name };
        if (info.Type is TensorType { ElementType: FixedPointType fixedPoint } tensor)
        {
            proto.Type = OnnxTypes.FromValueType(new TensorType(ElementType.Of(fixedPoint.Storage), tensor.Shape));
            ElementTypeAnnotation.Write(fixedPoint, proto.MetadataProps);
        }
        else if (info.Type is not null)
        {
            proto.Type = OnnxTypes.FromValueType(info.Type);
        }
        return proto;
    }

    private static NodeProto WriteNode(Node node)
    {
        var proto = new NodeProto { Name = node.Name, OpType = node.OpType, Domain = node.Domain };
        proto.Input.AddRange(node.Inputs);
        proto.Output.AddRange(node.Outputs);
        foreach (var (name, value) in node.Attributes)
        {
            proto.Attribute.Add(WriteAttribute(name, value));
        }
        return proto;
    }

    private static AttributeProto WriteAttribute(string name, AttributeValue value)
    {
        var a = new AttributeProto { Name = name };
        switch (value.Kind)
        {
            case AttributeKind.Float:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = value.AsFloat();
                break;
            case AttributeKind.Int:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = value.AsInt();
                break;
            case AttributeKind.String:
                a.Type = AttributeProto.Types.AttributeType.String;
                a.S = ByteString.CopyFrom(value.AsString(), Encoding.UTF8);
                break;
            case AttributeKind.Tensor:
                a.Type = AttributeProto.Types.AttributeType.Tensor;
                a.T = TensorProtoWriter.Write(value.AsTensor(), "");
                break;
            case AttributeKind.Graph:
                a.Type = AttributeProto.Types.AttributeType.Graph;
                a.G = WriteGraph(value.AsGraph());
                break;
            case AttributeKind.Type:
                a.Type = AttributeProto.Types.AttributeType.TypeProto;
                a.Tp = OnnxTypes.FromValueType(value.AsType());
                break;
            case AttributeKind.Floats:
                a.Type = AttributeProto.Types.AttributeType.Floats;
                a.Floats.AddRange(value.AsFloats());
                break;
            case AttributeKind.Ints:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.AddRange(value.AsInts());
                break;
            case AttributeKind.Strings:
                a.Type = AttributeProto.Types.AttributeType.Strings;
                a.Strings.AddRange(value.AsStrings().Select(s => ByteString.CopyFrom(s, Encoding.UTF8)));
                break;
            case AttributeKind.Tensors:
                a.Type = AttributeProto.Types.AttributeType.Tensors;
                a.Tensors.AddRange(value.AsTensors().Select(t => TensorProtoWriter.Write(t, "")));
                break;
            case AttributeKind.Graphs:
                a.Type = AttributeProto.Types.AttributeType.Graphs;
                a.Graphs.AddRange(value.AsGraphs().Select(WriteGraph));
                break;
            case AttributeKind.Types:
                a.Type = AttributeProto.Types.AttributeType.TypeProtos;
                a.TypeProtos.AddRange(value.AsTypes().Select(OnnxTypes.FromValueType));
                break;
        }
        return a;
    }
}
