using System.Collections.Immutable;
using Neurite.Ir;

namespace Neurite.Passes.Quantize;

/// <summary>
/// Reads the quantisation scheme that QDQ and QOperator ONNX models carry in op inputs (the scale
/// and zero point of QuantizeLinear, QLinearConv, QLinearMatMul, com.microsoft QLinearAdd and
/// friends) into the IR's types: every integer activation such an op produces is declared as a
/// <see cref="QuantizedType"/> (bits, signedness, scales, zero points, axis), and ops that only
/// move values (MaxPool, Reshape, Transpose, ...) pass the type on. Later passes and targets then
/// read the scheme from the type instead of chasing scale inputs. Nothing is computed differently:
/// the storage type stays, the declaration only says what the integers mean. Weights keep their
/// scheme in their op's inputs (initializer types are the tensors' own).
/// </summary>
public sealed class AnnotateQuantizedTypes : Pass
{
    public const string PassName = "annotate-quantized-types";

    public override string Name => PassName;
    public override string Description => "declare QDQ/QOperator activations as quantised types (scale, zero point) read from their ops";
    public override GraphProperties Preserves => GraphProperties.All;

    /// <summary>Where each quantising op keeps its output's scale and zero point (input indices), by domain and op.</summary>
    private static readonly Dictionary<(string Domain, string Op), (int Scale, int ZeroPoint)> OutputScheme = new()
    {
        [("", "QuantizeLinear")] = (1, 2),
        [("", "QLinearConv")] = (6, 7),
        [("", "QLinearMatMul")] = (6, 7),
        [(OpDomains.Microsoft, "QLinearAdd")] = (6, 7),
        [(OpDomains.Microsoft, "QLinearMul")] = (6, 7),
        [(OpDomains.Microsoft, "QLinearGlobalAveragePool")] = (3, 4),
        [(OpDomains.Microsoft, "QLinearAveragePool")] = (3, 4),
        [(OpDomains.Microsoft, "QLinearSigmoid")] = (3, 4),
        [(OpDomains.Microsoft, "QLinearLeakyRelu")] = (3, 4),
        [(OpDomains.Microsoft, "QLinearConcat")] = (0, 1),
    };

    /// <summary>Ops whose output holds the same integers (or a selection of them) as their first input, so the same scheme.</summary>
    private static readonly HashSet<string> SchemePreserving =
        ["MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Slice", "Gather", "Split", "GlobalMaxPool"];

    public override Model Run(Model model, PassContext context)
    {
        var graph = model.Graph;
        var constants = graph.Initializers.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal);
        // Exporters also write scales as Constant nodes (before fold-constants turns them into initializers).
        foreach (var node in graph.Nodes.Where(n => n.OpType == "Constant" && n.Domain.Length == 0 && n.Attribute("value") is not null))
        {
            constants.TryAdd(node.Outputs[0], node.Attribute("value")!.AsTensor());
        }
        var declared = graph.ValueInfo.ToDictionary(v => v.Name, v => v, StringComparer.Ordinal);
        var schemes = new Dictionary<string, QuantizedType>(StringComparer.Ordinal);
        foreach (var node in GraphAlgorithms.TopologicalOrder(graph) ?? graph.Nodes)
        {
            if (OutputScheme.TryGetValue((node.Domain, node.OpType), out var at) && node.Outputs.Length >= 1
                && Scheme(node, at.Scale, at.ZeroPoint, constants) is QuantizedType scheme)
            {
                schemes[node.Outputs[0]] = scheme;
            }
            else if (node.Domain.Length == 0 && SchemePreserving.Contains(node.OpType) && node.Inputs.Length > 0
                && schemes.TryGetValue(node.Inputs[0], out var passed) && !passed.IsPerAxis)
            {
                foreach (string output in node.Outputs.Where(o => o.Length > 0))
                {
                    schemes[output] = passed;
                }
            }
        }
        var outputs = new HashSet<string>(graph.Outputs.Select(o => o.Name), StringComparer.Ordinal);
        bool changed = false;
        foreach (var (name, scheme) in schemes.Where(p => !outputs.Contains(p.Key)))
        {
            var shape = (declared.GetValueOrDefault(name)?.Type ?? graph.TypeOf(name)) is TensorType known ? known.Shape : Shape.UnknownRank;
            var type = new TensorType(scheme, shape);
            if (declared.GetValueOrDefault(name)?.Type is TensorType { ElementType: QuantizedType existing } && existing.Equals(scheme))
            {
                continue;
            }
            declared[name] = new ValueInfo(name, type);
            changed = true;
        }
        return changed
            ? model.WithGraph(graph.With(valueInfo: declared.Values.OrderBy(v => v.Name, StringComparer.Ordinal)))
            : model;
    }

    /// <summary>The scheme a node's constant scale and zero point describe, or null when they are computed at run time or not 4/8/16-bit integers.</summary>
    private static QuantizedType? Scheme(Node node, int scaleIndex, int zeroPointIndex, Dictionary<string, Tensor> constants)
    {
        if (!node.HasInput(scaleIndex) || !constants.TryGetValue(node.Inputs[scaleIndex], out var scale) || scale.DataType != DataType.Float32)
        {
            return null;
        }
        Tensor? zeroPoint = node.HasInput(zeroPointIndex) ? constants.GetValueOrDefault(node.Inputs[zeroPointIndex]) : null;
        if (node.HasInput(zeroPointIndex) && zeroPoint is null)
        {
            return null;
        }
        // Without a zero point QuantizeLinear produces uint8 (or output_dtype, which we leave alone).
        if (zeroPoint is null && node.Attribute("output_dtype") is not null)
        {
            return null;
        }
        var storage = zeroPoint?.DataType ?? DataType.UInt8;
        (int bits, bool signed)? width = storage switch
        {
            DataType.UInt8 => (8, false),
            DataType.Int8 => (8, true),
            DataType.UInt16 => (16, false),
            DataType.Int16 => (16, true),
            DataType.UInt4 => (4, false),
            DataType.Int4 => (4, true),
            _ => null,
        };
        if (width is not var (bits, signed))
        {
            return null;
        }
        var scales = Enumerable.Range(0, scale.Length).Select(i => (float)scale.GetDouble(i)).ToImmutableArray();
        var zeroPoints = zeroPoint is null
            ? Enumerable.Repeat(0L, scales.Length).ToImmutableArray()
            : Enumerable.Range(0, zeroPoint.Length).Select(i => (long)zeroPoint.GetDouble(i)).ToImmutableArray();
        if (scales.Length != zeroPoints.Length)
        {
            return null;
        }
        if (scales.Length == 1)
        {
            return new QuantizedType(bits, signed, scales[0], zeroPoints[0]);
        }
        int axis = (int)(node.Attribute("axis")?.AsInt() ?? 1);
        if (axis < 0)
        {
            return null; // a negative axis needs the rank; QDQ exporters write it non-negative
        }
        return new QuantizedType(bits, signed, scales, zeroPoints, axis);
    }
}
