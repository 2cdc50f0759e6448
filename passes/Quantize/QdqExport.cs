using Neurite.Ir;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Passes.Quantize;

/// <summary>
/// The integer graph written as QDQ ONNX, the form ONNX Runtime and other toolchains read: every
/// integer layer becomes DequantizeLinear on its inputs, the float op, its clamp as a Clip, and
/// QuantizeLinear onto the output's scale and zero point. The scales are the ones the integer
/// layer really applies: a weight scale is read back from the layer's fixed-point multiplier
/// (w_scale = multiplier · y_scale / x_scale), so the QDQ model computes what the integer one does
/// up to ONNX Runtime's float rounding.
/// </summary>
public static class QdqExport
{
    public static Model Convert(Model integerModel)
    {
        var types = TypeInference.Run(integerModel).Types;
        var graph = integerModel.Graph;
        var constants = graph.Initializers.ToDictionary(i => i.Name, i => i.Value);
        var names = new HashSet<string>([.. graph.Inputs.Select(i => i.Name), .. graph.Initializers.Select(i => i.Name), .. graph.Nodes.SelectMany(n => n.Outputs)]);
        var writer = new QdqWriter(types, constants, names);
        foreach (var node in graph.Nodes)
        {
            writer.Write(node);
        }
        var read = writer.Nodes.SelectMany(GraphAlgorithms.ReadsOf).ToHashSet();
        var result = graph.With(nodes: writer.Nodes,
            initializers: graph.Initializers.Where(i => read.Contains(i.Name)).Concat(writer.Added)
                .Select(i => i.Value.ElementType is QuantizedType or FixedPointType ? i with { Value = i.Value.WithElementType(ElementType.Of(i.Value.DataType)) } : i),
            valueInfo: graph.ValueInfo.Select(v => v with { Type = Plain(v.Type) }));
        var opsets = integerModel.Opsets.Where(p => p.Key != OpDomains.Neurite).ToDictionary(p => p.Key, p => p.Value);
        if (writer.Nodes.Any(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" && ZeroPointType(writer, n) == DataType.Int16))
        {
            RaiseOpsetForInt16(writer.Nodes, opsets);
        }
        return new Model(result, opsets, integerModel.Metadata);
    }

    /// <summary>ONNX quantises to int16 from opset 21 on.</summary>
    public const int Int16Opset = 21;

    /// <summary>
    /// Ops whose meaning is the same from opset 13 to 21 (later versions only added types or
    /// attributes whose defaults keep the old behaviour): a graph of only these may be declared
    /// opset 21 so that its int16 QuantizeLinear/DequantizeLinear are valid ONNX.
    /// </summary>
    private static readonly HashSet<string> SameFrom13To21 =
    [
        "QuantizeLinear", "DequantizeLinear", "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh",
        "AveragePool", "MaxPool", "GlobalAveragePool", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity", "Concat", "Softmax",
    ];

    /// <summary>The zero point (input 2) carries the integer type of both QuantizeLinear and DequantizeLinear.</summary>
    private static DataType? ZeroPointType(QdqWriter writer, Node node) => node.Inputs.Length > 2 ? writer.ConstantType(node.Inputs[2]) : null;

    private static void RaiseOpsetForInt16(IReadOnlyList<Node> nodes, Dictionary<string, int> opsets)
    {
        if (opsets.GetValueOrDefault("") >= Int16Opset)
        {
            return;
        }
        var others = nodes.Where(n => n.Domain == OpDomains.Onnx && !SameFrom13To21.Contains(n.OpType)).Select(n => n.OpType).Distinct().ToList();
        if (others.Count > 0)
        {
            throw new NeuriteException("quantize.export",
                $"int16 activations are valid ONNX from opset {Int16Opset} on; this graph of opset {opsets.GetValueOrDefault("")} also has {string.Join(", ", others)}, whose meaning may differ at opset {Int16Opset}: upgrade the model to opset {Int16Opset} first, or export int8 activations");
        }
        opsets[""] = Int16Opset;
    }

    /// <summary>ONNX has no quantised element types: a value's declared type becomes its storage.</summary>
    private static IrType? Plain(IrType? type) => type is TensorType { ElementType: QuantizedType or FixedPointType } t
        ? new TensorType(ElementType.Of(t.ElementType.Storage), t.Shape)
        : type;

    private sealed class QdqWriter(IReadOnlyDictionary<string, IrType> types, Dictionary<string, Tensor> constants, HashSet<string> names)
    {
        public List<Node> Nodes { get; } = [];
        public List<Initializer> Added { get; } = [];

        /// <summary>The element type of a constant the export reads or wrote.</summary>
        public DataType? ConstantType(string name) =>
            constants.TryGetValue(name, out var value) ? value.DataType : Added.FirstOrDefault(i => i.Name == name)?.Value.DataType;

        public void Write(Node node)
        {
            if (node.Domain != OpDomains.Neurite || node.OpType is not ("QConv" or "QGemm" or "QAdd"))
            {
                Nodes.Add(node);
                return;
            }
            var y = Scheme(node.Outputs[0]);
            string real = node.OpType == "QAdd" ? Add(node) : Layer(node, y);
            string clamped = Clamp(node, real, y);
            Nodes.Add(new Node($"{node.Name}/quantize", "QuantizeLinear",
                [clamped, Constant($"{node.Name}/y_scale", Tensor.Scalar(y.Scales[0])), Constant($"{node.Name}/y_zero_point", Zero(y))], [node.Outputs[0]]));
        }

        private string Layer(Node node, QuantizedType y)
        {
            var x = Scheme(node.Inputs[0]);
            var weights = constants[node.Inputs[1]];
            int channels = weights.Dim(0);
            var multipliers = Multipliers(node.Attribute("multipliers")!.AsInts(), node.Attribute("shifts")!.AsInts());
            var wScales = Enumerable.Range(0, channels)
                .Select(c => (float)(multipliers[multipliers.Length == 1 ? 0 : c].Real * y.Scales[0] / x.Scales[0])).ToArray();
            var inputs = new List<string>
            {
                Dequantize($"{node.Name}/x", node.Inputs[0], Tensor.Scalar(x.Scales[0]), ZeroOf(x)),
                Dequantize($"{node.Name}/w", node.Inputs[1], Tensor.Create(wScales, channels), Tensor.Create(new sbyte[channels], channels), axis: 0),
            };
            if (node.HasInput(2))
            {
                var biasScales = wScales.Select(s => x.Scales[0] * s).ToArray();
                inputs.Add(Dequantize($"{node.Name}/b", node.Inputs[2], Tensor.Create(biasScales, channels), Tensor.Create(new int[channels], channels), axis: 0));
            }
            string output = Fresh($"{node.Outputs[0]}_real");
            if (node.OpType == "QConv")
            {
                var attributes = node.Attributes.Where(a => a.Key is "auto_pad" or "dilations" or "group" or "kernel_shape" or "pads" or "strides");
                Nodes.Add(new Node(node.Name, "Conv", inputs, [output], attributes));
            }
            else
            {
                Nodes.Add(new Node(node.Name, "Gemm", inputs, [output], [new("transB", AttributeValue.FromInt(1))]));
            }
            return output;
        }

        private string Add(Node node)
        {
            var a = Scheme(node.Inputs[0]);
            var b = Scheme(node.Inputs[1]);
            string output = Fresh($"{node.Outputs[0]}_real");
            Nodes.Add(new Node(node.Name, "Add",
                [Dequantize($"{node.Name}/a", node.Inputs[0], Tensor.Scalar(a.Scales[0]), ZeroOf(a)),
                 Dequantize($"{node.Name}/b", node.Inputs[1], Tensor.Scalar(b.Scales[0]), ZeroOf(b))], [output]));
            return output;
        }

        /// <summary>A clamp narrower than the output type (a fused Relu or Clip) as a float Clip at the real bounds.</summary>
        private string Clamp(Node node, string real, QuantizedType y)
        {
            long min = node.Attribute("output_min")?.AsInt() ?? y.MinValue, max = node.Attribute("output_max")?.AsInt() ?? y.MaxValue;
            if (min <= y.MinValue && max >= y.MaxValue)
            {
                return real;
            }
            string clamped = Fresh($"{node.Outputs[0]}_clamped");
            float lower = min <= y.MinValue ? float.MinValue : y.Scales[0] * (min - y.ZeroPoints[0]);
            float upper = max >= y.MaxValue ? float.MaxValue : y.Scales[0] * (max - y.ZeroPoints[0]);
            Nodes.Add(new Node($"{node.Name}/clamp", "Clip",
                [real, Constant($"{node.Name}/clamp_min", Tensor.Scalar(lower)), Constant($"{node.Name}/clamp_max", Tensor.Scalar(upper))], [clamped]));
            return clamped;
        }

        private string Dequantize(string prefix, string input, Tensor scale, Tensor zeroPoint, int? axis = null)
        {
            string output = Fresh($"{prefix}_real");
            Nodes.Add(new Node($"{prefix}/dequantize", "DequantizeLinear",
                [input, Constant($"{prefix}_scale", scale), Constant($"{prefix}_zero_point", zeroPoint)], [output],
                axis is int a ? [new("axis", AttributeValue.FromInt(a))] : null));
            return output;
        }

        private QuantizedType Scheme(string value) => types.GetValueOrDefault(value) is TensorType { ElementType: QuantizedType { IsPerAxis: false } q }
            ? q
            : throw new NeuriteException("quantize.export", $"value '{value}' has no per-tensor quantised type; QDQ export needs the scale and zero point of every integer activation");

        private static Tensor ZeroOf(QuantizedType q) => Zero(q);

        private static Tensor Zero(QuantizedType q) => q.Storage switch
        {
            DataType.Int8 => Tensor.Scalar((sbyte)q.ZeroPoints[0]),
            DataType.UInt8 => Tensor.Scalar((byte)q.ZeroPoints[0]),
            DataType.Int16 => Tensor.Scalar((short)q.ZeroPoints[0]),
            _ => throw new NeuriteException("quantize.export", $"QDQ export writes 8- and 16-bit activations, not {q}"),
        };

        private static FixedPointMultiplier[] Multipliers(IReadOnlyList<long> mantissas, IReadOnlyList<long> shifts) =>
            mantissas.Zip(shifts, (m, s) => new FixedPointMultiplier((int)m, (int)s)).ToArray();

        private string Constant(string name, Tensor value)
        {
            string unique = Fresh(name);
            Added.Add(new Initializer(unique, value));
            return unique;
        }

        private string Fresh(string candidate)
        {
            string name = candidate;
            for (int i = 1; !names.Add(name); i++)
            {
                name = $"{candidate}_{i}";
            }
            return name;
        }
    }
}
