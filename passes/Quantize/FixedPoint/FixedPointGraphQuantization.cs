using System.Numerics;
using Neurite.Ir;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>One run of <see cref="FixedPointQuantizer"/>: walks the graph once in order and writes the fixed-point graph.</summary>
internal sealed class FixedPointGraphQuantization(Model model, IReadOnlyDictionary<string, IrType> types, CalibrationTable calibration, FixedPointOptions options)
{
    /// <summary>Ops that compute the same on raw integers as on the reals they stand for (zero point 0): data movement, maximum, ReLU.</summary>
    private static readonly HashSet<string> RawTransparent = ["MaxPool", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity", "Relu"];

    private readonly Graph graph = model.Graph;
    private readonly Dictionary<string, Tensor> constants = model.Graph.Initializers.ToDictionary(i => i.Name, i => i.Value);
    private readonly QuantizedGraphWriter written = new(model);
    private readonly List<FixedPointLayer> layers = [];
    private readonly List<string> floatNodes = [];
    private readonly List<Diagnostic> diagnostics = [];
    private readonly Dictionary<string, (string Name, FixedPointType Type)> fixedValues = [];
    private readonly HashSet<string> replaced = [];
    private readonly Dictionary<string, string> floatCopies = [];
    private readonly HashSet<string> fused = [];

    /// <summary>The nodes a per-layer override may name: those this pass can turn into fixed-point layers.</summary>
    public static bool IsLayer(Node node) => node.Domain == OpDomains.Onnx
        && node.OpType is "Conv" or "Gemm" or "MatMul" or "Add" or "AveragePool" or "GlobalAveragePool";

    public FixedPointResult Run()
    {
        var order = GraphAlgorithms.TopologicalOrder(graph) ?? throw new NeuriteException("fixed.cycle", "the graph has a cycle");
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
        foreach (var output in graph.Outputs.Where(o => replaced.Contains(o.Name)))
        {
            var (name, type) = fixedValues[output.Name];
            written.Nodes.Add(FromFixed(name, type, output.Name));
        }
        return new FixedPointResult(written.Assemble(), layers, floatNodes, diagnostics);
    }

    private bool TryQuantize(Node node)
    {
        if (node.Domain != OpDomains.Onnx)
        {
            return false;
        }
        return node.OpType switch
        {
            "Conv" when Constant(node, 1) is { } w && (!node.HasInput(2) || Constant(node, 2) is not null) && IsActivation(node.Inputs[0]) =>
                Layer(node, "FixedConv", w, node.HasInput(2) ? Constant(node, 2) : null, QuantizableLayers.ConvAttributes(node)),
            "Gemm" when QuantizableLayers.GemmWeights(node, i => Constant(node, i)) is { } w && IsActivation(node.Inputs[0]) =>
                Layer(node, "FixedGemm", w, node.HasInput(2) ? Constant(node, 2) : null, []),
            "MatMul" when Constant(node, 1) is { Rank: 2 } b && Rank(node.Inputs[0]) == 2 && IsActivation(node.Inputs[0]) =>
                Layer(node, "FixedGemm", QuantizableLayers.Transposed(b), null, []),
            "Add" when IsActivation(node.Inputs[0]) && IsActivation(node.Inputs[1]) && Calibrated(node.Outputs[0]) => ResidualAdd(node),
            "AveragePool" or "GlobalAveragePool" when fixedValues.ContainsKey(node.Inputs[0]) && Calibrated(node.Outputs[0]) => AveragePool(node),
            _ when RawTransparent.Contains(node.OpType) && node.Outputs.Length == 1 && node.Inputs.Length >= 1
                && (fixedValues.ContainsKey(node.Inputs[0]) || (node.OpType != "Relu" && IsActivation(node.Inputs[0]))) => Transparent(node),
            _ => false,
        };
    }

    /// <summary>A Conv, Gemm or MatMul (weights [M, ...], output channel first) as a fixed-point layer, with a following ReLU fused.</summary>
    private bool Layer(Node node, string op, Tensor weights, Tensor? bias, Dictionary<string, AttributeValue> layerAttributes)
    {
        var activation = FusableRelu(node);
        string output = activation?.Outputs[0] ?? node.Outputs[0];
        if (!Calibrated(output))
        {
            return false;
        }
        var (x, xType) = Fixed(node.Inputs[0]);
        var precision = options.Layers.GetValueOrDefault(node.Name);
        var w = FloatValues(weights);
        var wType = AutoIntegerBits.Choose(precision?.Weights ?? options.Weights ?? options.Default, Min(w), Max(w), 1.0, $"the weights of '{node.Name}'");
        var wRaw = w.Select(v => FixedPointConversion.ToRaw(v, wType)).ToArray();
        var inputs = new List<string> { x, written.Constant($"{node.Name}/weights_fixed", FixedPointTensors.FromRaw(wRaw, wType, weights.Shape)) };
        FixedPointType? bType = null;
        long[] bRaw = [];
        int channels = weights.Dim(0);
        if (bias is not null)
        {
            var b = FloatValues(bias);
            b = b.Length == channels ? b : Enumerable.Repeat(b[0], channels).ToArray();
            bType = AutoIntegerBits.Choose(precision?.Bias ?? options.Bias ?? options.Default, Min(b), Max(b), 1.0, $"the bias of '{node.Name}'");
            bRaw = b.Select(v => FixedPointConversion.ToRaw(v, bType)).ToArray();
            inputs.Add(written.Constant($"{node.Name}/bias_fixed", FixedPointTensors.FromRaw(bRaw, bType, [channels])));
        }
        var resultType = ActivationType(precision?.Result, output);
        string result = written.Fresh($"{output}_fixed");
        var attributes = new Dictionary<string, AttributeValue>(layerAttributes)
        {
            ["x_type"] = TypeSyntax.Format(xType),
            ["w_type"] = TypeSyntax.Format(wType),
            ["output_type"] = TypeSyntax.Format(resultType),
        };
        if (bType is not null)
        {
            attributes["b_type"] = TypeSyntax.Format(bType);
        }
        if (activation is not null)
        {
            attributes["relu"] = 1L;
            fused.Add(activation.Name);
        }
        var accumulator = AnalyseLayer(node, op == "FixedConv" ? "Conv" : node.OpType, output, result, activation, xType, wType, wRaw, channels, bType, bRaw, resultType, precision?.Accumulator);
        attributes["accumulator_type"] = TypeSyntax.Format(accumulator);
        written.Nodes.Add(new Node(node.Name, op, inputs, [result], attributes, OpDomains.Neurite));
        Produce(output, result, resultType);
        return true;
    }

    /// <summary>
    /// The accumulator type (the layer's override, else the model-wide one, else exactly as wide as
    /// the worst case needs in the exact product's fraction bits), the report row, and a warning for
    /// every overflow the calibrated range can reach.
    /// </summary>
    private FixedPointType AnalyseLayer(Node node, string op, string output, string fixedOutput, Node? activation, FixedPointType xType, FixedPointType wType,
        long[] wRaw, int channels, FixedPointType? bType, long[] bRaw, FixedPointType resultType, FixedPointPrecision? accumulatorPrecision)
    {
        accumulatorPrecision ??= options.Accumulator;
        int productFraction = xType.FractionBits + wType.FractionBits;
        int depth = wRaw.Length / channels;
        var inputRange = calibration.Ranges[node.Inputs[0]];
        BigInteger Largest(BigInteger x, int fraction) => AccumulatorWidth.LargestMagnitude(wRaw, depth, xType, wType, bRaw, bType, x, fraction);
        int worstExact = AccumulatorWidth.SignedBits(Largest(AccumulatorWidth.TypeMagnitude(xType), productFraction));
        FixedPointType accumulator;
        if (accumulatorPrecision is { IsAuto: false })
        {
            accumulator = accumulatorPrecision.Type();
        }
        else
        {
            int width = accumulatorPrecision?.Width ?? worstExact;
            if (width > 64)
            {
                diagnostics.Add(Diagnostic.Warning("fixed.accumulator-width",
                    $"layer '{node.Name}' needs a {width}-bit accumulator for its worst case; it gets 64 bits, the most an integer target has", SourceLocation.OfNode(node)));
                width = 64;
            }
            accumulator = new FixedPointType(width, width - productFraction, rounding: accumulatorPrecision?.Rounding ?? RoundingMode.Truncate,
                overflow: accumulatorPrecision?.Overflow ?? OverflowMode.Wrap);
        }
        int worst = AccumulatorWidth.SignedBits(Largest(AccumulatorWidth.TypeMagnitude(xType), accumulator.FractionBits));
        int calibrated = AccumulatorWidth.SignedBits(Largest(AccumulatorWidth.RawMagnitude(inputRange.MaxMagnitude, xType), accumulator.FractionBits));
        Report(node, op, output, fixedOutput, activation, [xType], wType, bType, accumulator, resultType, inputRange, worst, calibrated);
        return accumulator;
    }

    private void Report(Node node, string op, string output, string fixedOutput, Node? activation, FixedPointType[] inputs, FixedPointType? wType, FixedPointType? bType,
        FixedPointType accumulator, FixedPointType resultType, TensorRange inputRange, int worst, int calibrated)
    {
        bool accumulatorOverflows = calibrated > accumulator.Width || (!accumulator.Signed && calibrated > 1);
        var outputRange = calibration.Ranges[output];
        bool resultOverflows = !Holds(resultType, outputRange);
        if (accumulatorOverflows)
        {
            diagnostics.Add(Diagnostic.Warning("fixed.accumulator-overflow",
                $"layer '{node.Name}': the accumulator {FixedPointPrecision.Describe(accumulator)} has {accumulator.Width} bits but inputs within the calibrated range [{inputRange.Min:G4}, {inputRange.Max:G4}] need {calibrated} ({worst} for any input)",
                SourceLocation.OfNode(node)));
        }
        if (resultOverflows)
        {
            diagnostics.Add(Diagnostic.Warning("fixed.overflow",
                $"layer '{node.Name}': the result type {FixedPointPrecision.Describe(resultType)} holds [{Lowest(resultType):G4}, {Highest(resultType):G4}] but the calibrated output '{output}' reaches [{outputRange.Min:G4}, {outputRange.Max:G4}]; it {(resultType.Overflow == OverflowMode.Wrap ? "wraps" : "saturates")} there",
                SourceLocation.OfNode(node)));
        }
        layers.Add(new FixedPointLayer(node.Name, op, output, fixedOutput, activation?.OpType, inputs, wType, bType, accumulator, resultType,
            inputRange, outputRange, worst, calibrated, accumulatorOverflows, resultOverflows));
    }

    /// <summary>A residual Add of two fixed-point activations (and a ReLU after it) as one FixedAdd.</summary>
    private bool ResidualAdd(Node node)
    {
        var activation = FusableRelu(node);
        string output = activation?.Outputs[0] ?? node.Outputs[0];
        if (!Calibrated(output))
        {
            return false;
        }
        var (a, aType) = Fixed(node.Inputs[0]);
        var (b, bType) = Fixed(node.Inputs[1]);
        var resultType = ActivationType(options.Layers.GetValueOrDefault(node.Name)?.Result, output);
        int fraction = Math.Max(aType.FractionBits, bType.FractionBits);
        BigInteger Aligned(BigInteger raw, FixedPointType type) => raw << (fraction - type.FractionBits);
        var aRange = calibration.Ranges[node.Inputs[0]];
        var bRange = calibration.Ranges[node.Inputs[1]];
        int worst = AccumulatorWidth.SignedBits(Aligned(AccumulatorWidth.TypeMagnitude(aType), aType) + Aligned(AccumulatorWidth.TypeMagnitude(bType), bType));
        int calibrated = AccumulatorWidth.SignedBits(Aligned(AccumulatorWidth.RawMagnitude(aRange.MaxMagnitude, aType), aType)
            + Aligned(AccumulatorWidth.RawMagnitude(bRange.MaxMagnitude, bType), bType));
        // The exact sum is the accumulator: as wide as the op computes it.
        var sum = new FixedPointType(Math.Min(64, worst), Math.Min(64, worst) - fraction);
        string result = written.Fresh($"{output}_fixed");
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["a_type"] = TypeSyntax.Format(aType),
            ["b_type"] = TypeSyntax.Format(bType),
            ["output_type"] = TypeSyntax.Format(resultType),
        };
        if (activation is not null)
        {
            attributes["relu"] = 1L;
            fused.Add(activation.Name);
        }
        written.Nodes.Add(new Node(node.Name, "FixedAdd", [a, b], [result], attributes, OpDomains.Neurite));
        Produce(output, result, resultType);
        Report(node, "Add", output, result, activation, [aType, bType], null, null, sum, resultType, aRange, worst, calibrated);
        return true;
    }

    /// <summary>
    /// An average pool as a depthwise FixedConv whose weights are 1/window in the default width
    /// (exact for the power-of-two windows of 2×2 pools). Only without padding, where a border
    /// window's divisor would change.
    /// </summary>
    private bool AveragePool(Node node)
    {
        if (QuantizableLayers.AverageWindowOf(node, types) is not { } pool)
        {
            return false;
        }
        var attributes = pool.Attributes();
        int window = checked((int)pool.Size);
        int channels = pool.Channels;
        long[] kernel = pool.Kernel;
        var (x, xType) = fixedValues[node.Inputs[0]];
        var weightPrecision = options.Default with { IntegerBits = null, Rounding = RoundingMode.HalfEven, Overflow = OverflowMode.Saturate };
        var wType = AutoIntegerBits.Choose(weightPrecision, 0, 1.0 / window, 1.0, $"the window weights of '{node.Name}'");
        long one = FixedPointConversion.ToRaw(1.0 / window, wType);
        var wRaw = Enumerable.Repeat(one, channels * window).ToArray();
        var weights = FixedPointTensors.FromRaw(wRaw, wType, [channels, 1, .. kernel.Select(k => (int)k)]);
        var resultType = ActivationType(options.Layers.GetValueOrDefault(node.Name)?.Result, node.Outputs[0]);
        attributes["x_type"] = TypeSyntax.Format(xType);
        attributes["w_type"] = TypeSyntax.Format(wType);
        attributes["output_type"] = TypeSyntax.Format(resultType);
        string result = written.Fresh($"{node.Outputs[0]}_fixed");
        var accumulator = AnalyseLayer(node, node.OpType, node.Outputs[0], result, null, xType, wType, wRaw, channels, null, [], resultType,
            options.Layers.GetValueOrDefault(node.Name)?.Accumulator);
        attributes["accumulator_type"] = TypeSyntax.Format(accumulator);
        written.Nodes.Add(new Node(node.Name, "FixedConv", [x, written.Constant($"{node.Name}/window_fixed", weights)], [result], attributes, OpDomains.Neurite));
        Produce(node.Outputs[0], result, resultType);
        return true;
    }

    /// <summary>Data movement, max pooling and ReLU run on the raw integers unchanged, and keep their input's type.</summary>
    private bool Transparent(Node node)
    {
        var (x, type) = Fixed(node.Inputs[0]);
        string result = written.Fresh($"{node.Outputs[0]}_fixed");
        written.Nodes.Add(node.With(inputs: [x, .. node.Inputs.Skip(1)], outputs: [result]));
        Produce(node.Outputs[0], result, type);
        return true;
    }

    /// <summary>The type of an activation: the precision given (or the default), its integer bits from the calibrated range when auto.</summary>
    private FixedPointType ActivationType(FixedPointPrecision? precision, string value)
    {
        var range = calibration.Ranges[value];
        return AutoIntegerBits.Choose(precision ?? options.Default, range.Min, range.Max, options.RangeMargin, $"'{value}'");
    }

    /// <summary>The fixed-point form of a float value, converting it with ToFixed here if nothing has yet.</summary>
    private (string Name, FixedPointType Type) Fixed(string value)
    {
        if (fixedValues.TryGetValue(value, out var known))
        {
            return known;
        }
        var type = ActivationType(null, value);
        string name = written.Fresh($"{value}_fixed");
        written.Nodes.Add(new Node($"{value}/to_fixed", "ToFixed", [value], [name],
            new Dictionary<string, AttributeValue> { ["output_type"] = TypeSyntax.Format(type) }, OpDomains.Neurite));
        Annotate(name, value, type);
        var range = calibration.Ranges[value];
        if (!Holds(type, range))
        {
            diagnostics.Add(Diagnostic.Warning("fixed.overflow",
                $"'{value}' converts to {FixedPointPrecision.Describe(type)}, which holds [{Lowest(type):G4}, {Highest(type):G4}], but its calibrated range is [{range.Min:G4}, {range.Max:G4}]"));
        }
        return fixedValues[value] = (name, type);
    }

    /// <summary>The float form of a value: itself, unless a fixed-point node replaced its producer.</summary>
    private string Float(string value)
    {
        if (!replaced.Contains(value))
        {
            return value;
        }
        if (!floatCopies.TryGetValue(value, out var name))
        {
            var (raw, type) = fixedValues[value];
            name = written.Fresh($"{value}_float");
            written.Nodes.Add(FromFixed(raw, type, name));
            floatCopies[value] = name;
        }
        return name;
    }

    private static Node FromFixed(string raw, FixedPointType type, string output) => new($"{output}/from_fixed", "FromFixed", [raw], [output],
        new Dictionary<string, AttributeValue> { ["input_type"] = TypeSyntax.Format(type) }, OpDomains.Neurite);

    private void Produce(string original, string fixedName, FixedPointType type)
    {
        fixedValues[original] = (fixedName, type);
        replaced.Add(original);
        Annotate(fixedName, original, type);
    }

    private void Annotate(string name, string original, FixedPointType type)
    {
        var shape = types.GetValueOrDefault(original) is TensorType t ? t.Shape : Shape.UnknownRank;
        written.Declare(name, new TensorType(type, shape));
    }

    private static bool Holds(FixedPointType type, TensorRange range) =>
        FixedPointConversion.Fits(range.Min, type) && FixedPointConversion.Fits(range.Max, type);

    private static double Lowest(FixedPointType type) => FixedPointConversion.ToReal(type.MinRaw, type);

    private static double Highest(FixedPointType type) => FixedPointConversion.ToReal(type.MaxRaw, type);

    /// <summary>The Relu that alone consumes the layer's output, if any (it then fuses into the layer).</summary>
    private Node? FusableRelu(Node node)
    {
        string y = node.Outputs[0];
        if (graph.Outputs.Any(o => o.Name == y) || graph.Consumers(y) is not [var only])
        {
            return null;
        }
        return only.Domain == OpDomains.Onnx && only.OpType == "Relu" ? only : null;
    }

    private static double[] FloatValues(Tensor tensor) => TensorConvert.ToFloat32(tensor).Span<float>().ToArray().Select(v => (double)v).ToArray();

    private static double Min(double[] values) => values.Length == 0 ? 0 : values.Min();

    private static double Max(double[] values) => values.Length == 0 ? 0 : values.Max();

    private Tensor? Constant(Node node, int input) => node.HasInput(input) ? constants.GetValueOrDefault(node.Inputs[input]) : null;

    private int? Rank(string value) => types.GetValueOrDefault(value) is TensorType { Shape.IsRankKnown: true } t ? t.Shape.Rank : null;

    private bool Calibrated(string value) => calibration.Ranges.ContainsKey(value) && !constants.ContainsKey(value);

    /// <summary>A value that is or can become fixed point: already converted, or a calibrated float activation.</summary>
    private bool IsActivation(string value) => fixedValues.ContainsKey(value) || Calibrated(value);
}
