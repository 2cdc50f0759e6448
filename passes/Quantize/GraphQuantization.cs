using Neurite.Ir;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <summary>One run of <see cref="PostTrainingQuantizer"/>: walks the graph once in order and writes the integer graph.</summary>
internal sealed class GraphQuantization(Model model, IReadOnlyDictionary<string, IrType> types, CalibrationTables calibrations, QuantizationOptions options)
{
    private static readonly HashSet<string> IntegerTransparent = ["MaxPool", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity"];

    private readonly Graph graph = model.Graph;
    private readonly CalibrationTable calibration = calibrations.For(options.ActivationBits);
    private readonly Dictionary<string, string> floatValues = [];
    private readonly Dictionary<string, Tensor> constants = model.Graph.Initializers.ToDictionary(i => i.Name, i => i.Value);
    private readonly QuantizedGraphWriter written = new(model);
    private readonly List<QuantizedLayer> layers = [];
    private readonly List<string> floatNodes = [];
    private readonly Dictionary<string, (string Name, ActivationScheme Scheme)> quantised = [];
    private readonly Dictionary<string, string> dequantised = [];
    private readonly HashSet<string> fused = [];

    public QuantizationResult Run()
    {
        var order = GraphAlgorithms.TopologicalOrder(graph) ?? throw new NeuriteException("quantize.cycle", "the graph has a cycle");
        foreach (var node in order)
        {
            if (fused.Contains(node.Name))
            {
                continue;
            }
            if (!TryQuantize(node))
            {
                written.Nodes.Add(node.With(inputs: node.Inputs.Select(i => i.Length == 0 ? i : Float(i))));
                floatNodes.Add(node.Name);
            }
        }
        foreach (var output in graph.Outputs.Where(o => quantised.ContainsKey(o.Name)))
        {
            var (name, scheme) = quantised[output.Name];
            written.Nodes.Add(Dequantize(name, scheme, output.Name));
        }
        return new QuantizationResult(written.Assemble(), layers, floatNodes, floatValues);
    }

    private bool TryQuantize(Node node)
    {
        if (node.Domain != OpDomains.Onnx || options.KeepsFloat(node.Name))
        {
            return false;
        }
        return node.OpType switch
        {
            "Conv" when Constant(node, 1) is { } w && (!node.HasInput(2) || Constant(node, 2) is not null) && Calibrated(node.Inputs[0]) =>
                Layer(node, "QConv", w, node.HasInput(2) ? Constant(node, 2) : null, QuantizableLayers.ConvAttributes(node)),
            "Gemm" when QuantizableLayers.GemmWeights(node, i => Constant(node, i)) is { } w && Calibrated(node.Inputs[0]) =>
                Layer(node, "QGemm", w, node.HasInput(2) ? Constant(node, 2) : null, []),
            "MatMul" when Constant(node, 1) is { Rank: 2 } b && Rank(node.Inputs[0]) == 2 && Calibrated(node.Inputs[0]) =>
                Layer(node, "QGemm", QuantizableLayers.Transposed(b), null, []),
            "Add" when Calibrated(node.Inputs[0]) && Calibrated(node.Inputs[1]) && Calibrated(node.Outputs[0]) => ResidualAdd(node),
            "AveragePool" or "GlobalAveragePool" when quantised.ContainsKey(node.Inputs[0]) => AveragePool(node),
            "GlobalMaxPool" when quantised.ContainsKey(node.Inputs[0]) => GlobalMaxPool(node),
            "Relu" or "Clip" when quantised.ContainsKey(node.Inputs[0]) && ClampOf(node) is not null => StandaloneClamp(node),
            _ when IntegerTransparent.Contains(node.OpType) && node.Outputs.Length == 1
                && (quantised.ContainsKey(node.Inputs[0]) || Calibrated(node.Inputs[0])) => Transparent(node),
            _ => false,
        };
    }

    /// <summary>A Conv, Gemm or MatMul (weights [M, ...] with the output channel first) as an integer layer.</summary>
    private bool Layer(Node node, string op, Tensor weights, Tensor? bias, Dictionary<string, AttributeValue> layerAttributes)
    {
        int weightBits = options.WeightBitsOf(node.Name), activationBits = options.ActivationBitsOf(node.Name);
        var (x, xScheme) = Quantised(node.Inputs[0], activationBits);
        var activation = FusableActivation(node);
        string output = activation?.Outputs[0] ?? node.Outputs[0];
        if (!Calibrated(output))
        {
            return false;
        }
        var outputScheme = Scheme(output, activationBits);
        var w = WeightQuantizer.Quantize(weights, weightBits, options.PerChannel);
        int channels = weights.Dim(0);
        var attributes = new Dictionary<string, AttributeValue>(layerAttributes)
        {
            ["x_zero_point"] = xScheme.ZeroPoint,
        };
        AddRequantisation(attributes, Enumerable.Range(0, channels).Select(c => (double)xScheme.Scale * w.Scales[options.PerChannel ? c : 0] / outputScheme.Scale), outputScheme,
            activation is null ? (outputScheme.Min, outputScheme.Max) : ClampOf(activation, outputScheme)!.Value);

        var inputs = new List<string> { x, written.Constant($"{node.Name}/weights_q", w.Values) };
        bias = CorrectedBias(node, weights, w, bias);
        if (bias is not null)
        {
            inputs.Add(written.Constant($"{node.Name}/bias_q", QuantizedBias(bias, xScheme.Scale, w.Scales, channels)));
        }
        string result = written.Fresh($"{output}_q");
        written.Nodes.Add(new Node(node.Name, op, inputs, [result], attributes, OpDomains.Neurite));
        Produce(output, result, outputScheme);
        if (activation is not null)
        {
            fused.Add(activation.Name);
        }
        layers.Add(new QuantizedLayer(node.Name, node.OpType, output, result, outputScheme, RangeOf(output, activationBits), weightBits, w.Scales,
            options.PerChannel, options.IsSymmetric(activationBits), activation?.OpType));
        return true;
    }

    /// <summary>
    /// Bias correction (Nagel et al., 2019): rounding the weights shifts each output channel's mean
    /// by Σ (w_q - w) · E[x]; subtracting that from the bias, with the input's per-channel means
    /// from calibration, removes the systematic part of the error (what costs int4 weights most).
    /// </summary>
    private Tensor? CorrectedBias(Node node, Tensor weights, WeightQuantizer.QuantizedWeights quantisedWeights, Tensor? bias)
    {
        if (calibration.ChannelMeans?.GetValueOrDefault(node.Inputs[0]) is not { } means)
        {
            return bias;
        }
        var w = TensorConvert.ToFloat32(weights).Span<float>();
        var q = quantisedWeights.Values.Span<sbyte>();
        int channels = weights.Dim(0), perRow = w.Length / channels;
        int window = weights.Rank > 2 ? perRow / weights.Dim(1) : 1;
        int inputsPerGroup = weights.Rank > 2 ? weights.Dim(1) : perRow;
        int groups = (int)(node.Attribute("group")?.AsInt() ?? 1);
        if (means.Length != inputsPerGroup * groups)
        {
            return bias;
        }
        var corrected = new float[channels];
        var b = bias is null ? null : TensorConvert.ToFloat32(bias).Span<float>().ToArray();
        for (int c = 0; c < channels; c++)
        {
            float scale = quantisedWeights.Scales[quantisedWeights.Scales.Length == 1 ? 0 : c];
            int firstInput = c / (channels / groups) * inputsPerGroup;
            double shift = 0;
            for (int k = 0; k < perRow; k++)
            {
                shift += (q[c * perRow + k] * scale - w[c * perRow + k]) * means[firstInput + k / window];
            }
            corrected[c] = (float)((b is null ? 0 : b[b.Length == 1 ? 0 : c]) - shift);
        }
        return Tensor.Create(corrected, channels);
    }

    private bool ResidualAdd(Node node)
    {
        int activationBits = options.ActivationBitsOf(node.Name);
        var (a, aScheme) = Quantised(node.Inputs[0], activationBits);
        var (b, bScheme) = Quantised(node.Inputs[1], activationBits);
        var activation = FusableActivation(node);
        string output = activation?.Outputs[0] ?? node.Outputs[0];
        if (!Calibrated(output))
        {
            return false;
        }
        var y = Scheme(output, activationBits);
        // QAdd widens each input by its own width's headroom; inputs of different widths (mixed
        // precision) meet at the smaller one, the other's multiplier absorbing the difference.
        int aHeadroom = Ir.Ops.QAdd.Headroom(aScheme.Bits), bHeadroom = Ir.Ops.QAdd.Headroom(bScheme.Bits);
        int headroom = Math.Min(aHeadroom, bHeadroom);
        double common = 2 * Math.Max(aScheme.Scale, bScheme.Scale);
        var (min, max) = activation is null ? (y.Min, y.Max) : ClampOf(activation, y)!.Value;
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["a_zero_point"] = aScheme.ZeroPoint,
            ["b_zero_point"] = bScheme.ZeroPoint,
            ["y_zero_point"] = y.ZeroPoint,
            ["a_multiplier"] = Pair(FixedPointMultiplier.FromReal(Math.ScaleB(aScheme.Scale / common, headroom - aHeadroom))),
            ["b_multiplier"] = Pair(FixedPointMultiplier.FromReal(Math.ScaleB(bScheme.Scale / common, headroom - bHeadroom))),
            ["y_multiplier"] = Pair(FixedPointMultiplier.FromReal(common / (Math.ScaleB(1.0, headroom) * y.Scale))),
            ["output_bits"] = y.Bits,
            ["output_min"] = min,
            ["output_max"] = max,
        };
        string result = written.Fresh($"{output}_q");
        written.Nodes.Add(new Node(node.Name, "QAdd", [a, b], [result], attributes, OpDomains.Neurite));
        Produce(output, result, y);
        if (activation is not null)
        {
            fused.Add(activation.Name);
        }
        layers.Add(new QuantizedLayer(node.Name, "Add", output, result, y, RangeOf(output, activationBits), 0, [], false, options.IsSymmetric(activationBits), activation?.OpType));
        return true;
    }

    /// <summary>
    /// An average pool is a depthwise convolution with weights of one and 1/k² folded into the
    /// multiplier: exact in integers, with the input's scheme kept. Only without padding (where a
    /// border window's divisor would change).
    /// </summary>
    private bool AveragePool(Node node)
    {
        if (QuantizableLayers.AverageWindowOf(node, types) is not { } pool)
        {
            return false;
        }
        var attributes = pool.Attributes();
        long window = pool.Size;
        int channels = pool.Channels;
        long[] kernel = pool.Kernel;
        var (x, scheme) = quantised[node.Inputs[0]];
        attributes["x_zero_point"] = scheme.ZeroPoint;
        AddRequantisation(attributes, Enumerable.Repeat(1.0 / window, 1), scheme, (scheme.Min, scheme.Max));
        var ones = Tensor.Create(Enumerable.Repeat((sbyte)1, channels * (int)window).ToArray(), [channels, 1, .. kernel.Select(k => (int)k)]);
        string result = written.Fresh($"{node.Outputs[0]}_q");
        written.Nodes.Add(new Node(node.Name, "QConv", [x, written.Constant($"{node.Name}/ones", ones)], [result], attributes, OpDomains.Neurite));
        Produce(node.Outputs[0], result, scheme);
        layers.Add(new QuantizedLayer(node.Name, node.OpType, node.Outputs[0], result, scheme, calibration.Ranges.GetValueOrDefault(node.Outputs[0]), 0, [], false,
            options.IsSymmetric(scheme.Bits), null));
        return true;
    }

    /// <summary>A Relu or Clip whose producer could not take it: an integer Clip on the input's grid.</summary>
    private bool StandaloneClamp(Node node)
    {
        var (x, scheme) = quantised[node.Inputs[0]];
        var (min, max) = ClampOf(node, scheme)!.Value;
        string result = written.Fresh($"{node.Outputs[0]}_q");
        var storage = scheme.Bits <= 8 ? (Func<int, Tensor>)(v => Tensor.Scalar((sbyte)v)) : v => Tensor.Scalar((short)v);
        written.Nodes.Add(new Node(node.Name, "Clip", [x, written.Constant($"{node.Name}/min_q", storage(min)), written.Constant($"{node.Name}/max_q", storage(max))], [result]));
        Produce(node.Outputs[0], result, scheme);
        return true;
    }

    /// <summary>
    /// GlobalMaxPool is float-only in ONNX; over a plane of known size it is the MaxPool whose
    /// window is the plane, which takes 8-bit (and Neurite's 16-bit) integers and picks the same
    /// element (the grid's scale is positive, so the order of the integers is the order of the reals).
    /// </summary>
    private bool GlobalMaxPool(Node node)
    {
        if (types.GetValueOrDefault(node.Inputs[0]) is not TensorType { Shape: { IsRankKnown: true, Rank: >= 3 } shape }
            || Enumerable.Range(2, shape.Rank - 2).Any(d => !shape[d].IsKnown))
        {
            return false;
        }
        var (x, scheme) = quantised[node.Inputs[0]];
        long[] plane = Enumerable.Range(2, shape.Rank - 2).Select(d => shape[d].Value).ToArray();
        string result = written.Fresh($"{node.Outputs[0]}_q");
        written.Nodes.Add(new Node(node.Name, "MaxPool", [x], [result], new Dictionary<string, AttributeValue> { ["kernel_shape"] = plane }));
        Produce(node.Outputs[0], result, scheme);
        return true;
    }

    /// <summary>Pooling by maximum and data movement compute the same on the integers as on the reals they stand for.</summary>
    private bool Transparent(Node node)
    {
        var (x, scheme) = Quantised(node.Inputs[0], options.ActivationBitsOf(node.Name));
        string result = written.Fresh($"{node.Outputs[0]}_q");
        written.Nodes.Add(node.With(inputs: [x, .. node.Inputs.Skip(1)], outputs: [result]));
        Produce(node.Outputs[0], result, scheme);
        return true;
    }

    private void AddRequantisation(Dictionary<string, AttributeValue> attributes, IEnumerable<double> realMultipliers, ActivationScheme output, (int Min, int Max) clamp)
    {
        var multipliers = realMultipliers.Select(FixedPointMultiplier.FromReal).ToArray();
        attributes["multipliers"] = multipliers.Select(m => (long)m.Mantissa).ToArray();
        attributes["shifts"] = multipliers.Select(m => (long)m.Shift).ToArray();
        attributes["y_zero_point"] = output.ZeroPoint;
        attributes["output_bits"] = output.Bits;
        attributes["output_min"] = clamp.Min;
        attributes["output_max"] = clamp.Max;
    }

    private static long[] Pair(FixedPointMultiplier m) => [m.Mantissa, m.Shift];

    /// <summary>int32 bias on the accumulator's grid (scale x_scale · w_scale[c]).</summary>
    private static Tensor QuantizedBias(Tensor bias, float xScale, float[] wScales, int channels)
    {
        var b = TensorConvert.ToFloat32(bias).Span<float>();
        var q = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            double scale = (double)xScale * wScales[wScales.Length == 1 ? 0 : c];
            q[c] = (int)Math.Clamp(Math.Round(b[b.Length == 1 ? 0 : c] / scale, MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }
        return Tensor.Create(q, channels);
    }

    /// <summary>The Relu or Clip that alone consumes the layer's output, if any (it then folds into the clamp).</summary>
    private Node? FusableActivation(Node node)
    {
        string y = node.Outputs[0];
        if (graph.Outputs.Any(o => o.Name == y) || graph.Consumers(y) is not [var only])
        {
            return null;
        }
        return only.Domain == OpDomains.Onnx && only.OpType is "Relu" or "Clip" && ClampOf(only) is not null ? only : null;
    }

    /// <summary>The real interval a Relu or Clip (with constant bounds) keeps; null when the bounds are not constants.</summary>
    private (float Min, float Max)? ClampOf(Node activation)
    {
        if (activation.OpType == "Relu")
        {
            return (0f, float.PositiveInfinity);
        }
        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (activation.HasInput(1))
        {
            if (Constant(activation, 1) is not { } t)
            {
                return null;
            }
            min = TensorConvert.ToFloat32(t).Span<float>()[0];
        }
        if (activation.HasInput(2))
        {
            if (Constant(activation, 2) is not { } t)
            {
                return null;
            }
            max = TensorConvert.ToFloat32(t).Span<float>()[0];
        }
        min = activation.Attribute("min")?.AsFloat() ?? min;
        max = activation.Attribute("max")?.AsFloat() ?? max;
        return (min, max);
    }

    private (int Min, int Max)? ClampOf(Node activation, ActivationScheme scheme) => ClampOf(activation) is var (lo, hi)
        ? (Grid(lo, scheme), Grid(hi, scheme))
        : null;

    private static int Grid(float real, ActivationScheme scheme) => float.IsInfinity(real)
        ? (real > 0 ? scheme.Max : scheme.Min)
        : (int)Math.Clamp(scheme.ZeroPoint + Math.Round(real / scheme.Scale, MidpointRounding.ToEven), scheme.Min, scheme.Max);

    private Tensor? Constant(Node node, int input) => node.HasInput(input) ? constants.GetValueOrDefault(node.Inputs[input]) : null;

    private int? Rank(string value) => types.GetValueOrDefault(value) is TensorType { Shape.IsRankKnown: true } t ? t.Shape.Rank : null;

    private bool Calibrated(string value) => calibration.Ranges.ContainsKey(value) && !constants.ContainsKey(value);

    private ActivationScheme Scheme(string value, int bits) => ActivationScheme.For(RangeOf(value, bits), bits, options.IsSymmetric(bits));

    private TensorRange RangeOf(string value, int bits) => calibrations.For(bits).Ranges[value];

    /// <summary>The quantised form of a float value, quantising it here if nothing has yet.</summary>
    private (string Name, ActivationScheme Scheme) Quantised(string value, int bits)
    {
        if (quantised.TryGetValue(value, out var known))
        {
            return known;
        }
        var scheme = Scheme(value, bits);
        string name = written.Fresh($"{value}_q");
        var zero = scheme.Bits <= 8 ? Tensor.Scalar((sbyte)scheme.ZeroPoint) : Tensor.Scalar((short)scheme.ZeroPoint);
        written.Nodes.Add(new Node($"{value}/quantize", "QuantizeLinear",
            [value, written.Constant($"{value}/scale", Tensor.Scalar(scheme.Scale)), written.Constant($"{value}/zero_point", zero)], [name]));
        Annotate(name, value, scheme);
        floatValues[name] = value;
        return quantised[value] = (name, scheme);
    }

    /// <summary>The float form of a value: itself, unless a quantised node replaced its producer.</summary>
    private string Float(string value)
    {
        if (!quantised.TryGetValue(value, out var q) || graph.Producer(value) is null || !IsReplaced(value))
        {
            return value;
        }
        if (!dequantised.TryGetValue(value, out var name))
        {
            name = written.Fresh($"{value}_dq");
            written.Nodes.Add(Dequantize(q.Name, q.Scheme, name));
            dequantised[value] = name;
        }
        return name;
    }

    private readonly HashSet<string> replaced = [];

    private bool IsReplaced(string value) => replaced.Contains(value);

    private void Produce(string original, string quantisedName, ActivationScheme scheme)
    {
        quantised[original] = (quantisedName, scheme);
        floatValues[quantisedName] = original;
        replaced.Add(original);
        Annotate(quantisedName, original, scheme);
    }

    private Node Dequantize(string quantisedName, ActivationScheme scheme, string output)
    {
        var zero = scheme.Bits <= 8 ? Tensor.Scalar((sbyte)scheme.ZeroPoint) : Tensor.Scalar((short)scheme.ZeroPoint);
        return new Node($"{output}/dequantize", "DequantizeLinear",
            [quantisedName, written.Constant($"{output}/scale", Tensor.Scalar(scheme.Scale)), written.Constant($"{output}/zero_point", zero)], [output]);
    }

    private void Annotate(string name, string original, ActivationScheme scheme)
    {
        var shape = types.GetValueOrDefault(original) is TensorType t ? t.Shape : Shape.UnknownRank;
        written.Declare(name, new TensorType(scheme.Type, shape));
    }
}
