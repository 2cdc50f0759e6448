using System.Collections.Immutable;
using Neurite.Ir;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Qonnx;

namespace Neurite.Passes.Quantize;

/// <summary>
/// QONNX <c>Quant</c> (and <c>IntQuant</c>) as the standard ops that compute the same values:
/// <c>QuantizeLinear</c> to an 8- or 16-bit integer, an integer <c>Clip</c> to the grid of the
/// node's bit width when that is narrower than the storage, and <c>DequantizeLinear</c> back to
/// float (QONNX's own QuantToQCDQ transformation does the same). The integer between them is
/// declared with its <see cref="QuantizedType"/> (bits, signedness, scale per tensor or per
/// channel), so Brevitas and hls4ml exports land in the IR's quantised types like QDQ models do,
/// and ONNX Runtime, which has no QONNX kernels, runs the result.
/// <para>
/// Only where the two are bit for bit the same: a zero point of 0 (QONNX adds it to x/scale in
/// float before rounding, QuantizeLinear after, which differs at ties once it is non-zero),
/// rounding ROUND (half to even, QuantizeLinear's), constant positive scales that vary along at
/// most one axis, a float32 input, bit widths up to 8 (16 from opset 21) and not the signed 1-bit
/// (bipolar) form. With an integer grid, clamping before rounding (QONNX) and after (Clip on the
/// rounded value) give the same integers. The one difference: QONNX turns NaN into NaN,
/// QuantizeLinear into 0.
/// </para>
/// </summary>
public sealed class LowerQonnxQuant : Pass
{
    public const string PassName = "lower-qonnx-quant";

    public override string Name => PassName;
    public override string Description => "QONNX Quant as QuantizeLinear, integer Clip and DequantizeLinear (quantised types declared)";
    public override GraphProperties Preserves => GraphProperties.All;

    public override Model Run(Model model, PassContext context)
    {
        int opset = model.OpsetOf("") ?? 0;
        if (opset < 13 || !model.Graph.Nodes.Any(IsQuant))
        {
            return model;
        }
        var graph = model.Graph;
        var constants = graph.Initializers.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal);
        var types = TypeInference.Run(model).Types;
        var names = new FreshNames(graph);
        var nodes = new List<Node>();
        var initializers = new List<Initializer>(graph.Initializers);
        var declared = graph.ValueInfo.ToDictionary(v => v.Name, v => v, StringComparer.Ordinal);
        int lowered = 0;
        foreach (var node in graph.Nodes)
        {
            if (!IsQuant(node) || Grid(node, constants, types, opset) is not { } grid)
            {
                nodes.Add(node);
                continue;
            }
            nodes.AddRange(Lowered(node, grid, names, initializers, declared, types));
            lowered++;
        }
        if (lowered == 0)
        {
            return model;
        }
        var result = graph.With(nodes: nodes, initializers: initializers, valueInfo: declared.Values.OrderBy(v => v.Name, StringComparer.Ordinal));
        // The QONNX domain goes from the opset imports with its last node, so ONNX Runtime does not ask for it.
        var opsets = nodes.Any(n => n.Domain == OpDomains.Qonnx)
            ? model.Opsets
            : model.Opsets.Remove(OpDomains.Qonnx);
        return new Model(result, opsets, model.Metadata);
    }

    private static bool IsQuant(Node node) => node.Domain == OpDomains.Qonnx && node.OpType is "Quant" or "IntQuant";

    /// <summary>What a lowerable Quant quantises to; null when the standard ops would compute something else.</summary>
    private sealed record QuantGrid(int Bits, bool Signed, long Min, long Max, Tensor Scale, int? Axis)
    {
        public DataType Storage => (Bits <= 8, Signed) switch
        {
            (true, true) => DataType.Int8,
            (true, false) => DataType.UInt8,
            (false, true) => DataType.Int16,
            (false, false) => DataType.UInt16,
        };

        public long StorageMin => Signed ? -(1L << ((Bits <= 8 ? 8 : 16) - 1)) : 0;

        public long StorageMax => Signed ? (1L << ((Bits <= 8 ? 8 : 16) - 1)) - 1 : (1L << (Bits <= 8 ? 8 : 16)) - 1;
    }

    private static QuantGrid? Grid(Node node, Dictionary<string, Tensor> constants, IReadOnlyDictionary<string, IrType> types, int opset)
    {
        if (node.Inputs.Length != 4 || node.Outputs.Length != 1
            || !constants.TryGetValue(node.Inputs[1], out var scale) || !constants.TryGetValue(node.Inputs[2], out var zero)
            || !constants.TryGetValue(node.Inputs[3], out var bitsTensor)
            || types.GetValueOrDefault(node.Inputs[0]) is not TensorType { ElementType.Storage: DataType.Float32, Shape: { IsRankKnown: true } xShape })
        {
            return null;
        }
        string rounding = node.Attribute("rounding_mode")?.AsString() ?? "ROUND";
        bool signed = (node.Attribute("signed")?.AsInt() ?? 1) != 0;
        bool narrow = (node.Attribute("narrow")?.AsInt() ?? 0) != 0;
        if (rounding.ToUpperInvariant() is not ("ROUND" or "HALF_EVEN") || scale.DataType != DataType.Float32 || bitsTensor.Length != 1)
        {
            return null;
        }
        double bitsValue = TensorConvert.Convert(bitsTensor, DataType.Float64).Span<double>()[0];
        if (bitsValue != Math.Floor(bitsValue) || bitsValue < 1 || bitsValue > (opset >= 21 ? 16 : 8) || (bitsValue == 1 && signed))
        {
            return null;
        }
        var zeros = TensorConvert.Convert(zero, DataType.Float64).Span<double>();
        foreach (double z in zeros)
        {
            if (z != 0)
            {
                return null;
            }
        }
        var scales = scale.Span<float>();
        foreach (float s in scales)
        {
            if (!(s > 0) || float.IsInfinity(s))
            {
                return null;
            }
        }
        if (zero.Rank > xShape.Rank || scale.Rank > xShape.Rank)
        {
            return null;
        }
        int bits = (int)bitsValue;
        long min = (long)IntegerGrid.Min(signed, narrow, bits), max = (long)IntegerGrid.Max(signed, narrow, bits);
        if (scale.Length == 1)
        {
            return new QuantGrid(bits, signed, min, max, Tensor.Scalar(scales[0]), null);
        }
        // Per channel: the scale broadcasts against x along exactly one axis (numpy alignment from the right).
        var varying = Enumerable.Range(0, scale.Rank).Where(d => scale.Dim(d) != 1).ToList();
        if (varying is not [int only])
        {
            return null;
        }
        int axis = xShape.Rank - scale.Rank + only;
        if (!xShape[axis].IsKnown || xShape[axis].Value != scale.Dim(only))
        {
            return null;
        }
        return new QuantGrid(bits, signed, min, max, Tensor.Create(scales.ToArray(), scale.Length), axis);
    }

    private static IEnumerable<Node> Lowered(Node quant, QuantGrid grid, FreshNames names, List<Initializer> initializers,
        Dictionary<string, ValueInfo> declared, IReadOnlyDictionary<string, IrType> types)
    {
        string Constant(string hint, Tensor value)
        {
            string name = names.Next($"{quant.Name}/{hint}");
            initializers.Add(new Initializer(name, value));
            return name;
        }

        var shape = types.GetValueOrDefault(quant.Outputs[0]) is TensorType t ? t.Shape : Shape.UnknownRank;
        string scale = Constant("scale", grid.Scale);
        int channels = grid.Scale.Length;
        var zeroPoint = Tensor.Zeros(ElementType.Of(grid.Storage), grid.Axis is null ? [] : [channels]);
        string zero = Constant("zero_point", zeroPoint);
        var axis = grid.Axis is int a ? new Dictionary<string, AttributeValue> { ["axis"] = (long)a } : [];
        var scheme = new QuantizedType(grid.Bits, grid.Signed, grid.Scale.Span<float>().ToArray(), Enumerable.Repeat(0L, channels), grid.Axis);

        string integers = names.Next($"{quant.Outputs[0]}_int");
        yield return new Node(names.Next($"{quant.Name}/quantize"), "QuantizeLinear", [quant.Inputs[0], scale, zero], [integers], axis);
        if (grid.Min > grid.StorageMin || grid.Max < grid.StorageMax)
        {
            string clipped = names.Next($"{quant.Outputs[0]}_grid");
            yield return new Node(names.Next($"{quant.Name}/grid"), "Clip",
                [integers, Constant("min", Bound(grid.Min, grid.Storage)), Constant("max", Bound(grid.Max, grid.Storage))], [clipped]);
            integers = clipped;
        }
        declared[integers] = new ValueInfo(integers, new TensorType(scheme, shape));
        yield return new Node(quant.Name, "DequantizeLinear", [integers, scale, zero], [quant.Outputs[0]], axis);
    }

    private static Tensor Bound(long value, DataType storage) => storage switch
    {
        DataType.Int8 => Tensor.Scalar((sbyte)value),
        DataType.UInt8 => Tensor.Scalar((byte)value),
        DataType.Int16 => Tensor.Scalar((short)value),
        _ => Tensor.Scalar((ushort)value),
    };
}
