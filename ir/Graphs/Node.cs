using System.Collections.Immutable;

namespace Neurite.Ir;

/// <summary>
/// One operation in a graph. Inputs and outputs are value names (SSA: each name is defined once
/// in its graph); an empty name marks an optional input or output that is absent.
/// </summary>
public sealed class Node
{
    public Node(string name, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs,
        IEnumerable<KeyValuePair<string, AttributeValue>>? attributes = null, string domain = "")
    {
        Name = name;
        OpType = opType;
        Domain = OpDomains.Normalize(domain);
        Inputs = inputs.ToImmutableArray();
        Outputs = outputs.ToImmutableArray();
        Attributes = attributes is null
            ? ImmutableSortedDictionary<string, AttributeValue>.Empty.WithComparers(StringComparer.Ordinal)
            : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, attributes);
    }

    public string Name { get; }
    public string OpType { get; }

    /// <summary>The operator set the op belongs to; "" is the standard ONNX domain (ai.onnx).</summary>
    public string Domain { get; }

    public ImmutableArray<string> Inputs { get; }
    public ImmutableArray<string> Outputs { get; }
    public ImmutableSortedDictionary<string, AttributeValue> Attributes { get; }

    /// <summary>"Conv" for the standard domain, "com.microsoft.QLinearAdd" otherwise: how diagnostics name the op.</summary>
    public string QualifiedOpType => Domain.Length == 0 ? OpType : $"{Domain}.{OpType}";

    public bool HasInput(int index) => index < Inputs.Length && Inputs[index].Length > 0;

    public AttributeValue? Attribute(string name) => Attributes.GetValueOrDefault(name);

    /// <summary>Every subgraph held by this node's attributes (If branches, Loop and Scan bodies).</summary>
    public IEnumerable<Graph> Subgraphs => Attributes.Values.SelectMany(a => a.Subgraphs);

    public Node With(string? name = null, IEnumerable<string>? inputs = null, IEnumerable<string>? outputs = null,
        IEnumerable<KeyValuePair<string, AttributeValue>>? attributes = null) =>
        new(name ?? Name, OpType, inputs ?? Inputs, outputs ?? Outputs, attributes ?? Attributes, Domain);

    public override string ToString() => $"{Name} = {QualifiedOpType}({string.Join(", ", Inputs)}) -> ({string.Join(", ", Outputs)})";
}

public static class OpDomains
{
    public const string Onnx = "";
    public const string OnnxMl = "ai.onnx.ml";
    public const string Microsoft = "com.microsoft";

    /// <summary>Neurite's own ops: spiking neurons and what later passes need that ONNX has no op for.</summary>
    public const string Neurite = "neurite";

    /// <summary>QONNX's quantisers (Quant, BipolarQuant, Trunc, MultiThreshold) as hls4ml, FINN and Brevitas write them.</summary>
    public const string Qonnx = "qonnx.custom_op.general";

    /// <summary>ONNX spells its default domain both "" and "ai.onnx"; the IR uses "".</summary>
    public static string Normalize(string domain) => domain == "ai.onnx" ? "" : domain;

    public static string Display(string domain) => domain.Length == 0 ? "ai.onnx" : domain;
}
