using Neurite.Ir;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// Measures how far each quantised layer's output is from the float value it stands for: the
/// float graph and the integer graph run on the same samples, an observer keeps the float
/// layer outputs of one run, and the integer run's outputs are dequantised and compared with
/// them as they are computed. Only one batch's layer outputs are held at a time. Error
/// accumulates through the graph, so a layer's SQNR includes what the layers before it lost:
/// it is what the model really computes there. Safe to call from several threads at once.
/// </summary>
public sealed class LayerErrorMeter
{
    private readonly Interpreter floatInterpreter;
    private readonly Interpreter integerInterpreter;
    private readonly Dictionary<string, QuantizedLayer> byFloatValue;
    private readonly Dictionary<string, QuantizedLayer> byIntegerValue;
    private readonly Dictionary<string, SignalToQuantizationNoise> totals;

    public LayerErrorMeter(Model floatModel, QuantizationResult quantised)
    {
        floatInterpreter = new Interpreter(floatModel);
        integerInterpreter = new Interpreter(quantised.Model);
        byFloatValue = quantised.Layers.ToDictionary(l => l.Output, StringComparer.Ordinal);
        byIntegerValue = quantised.Layers.ToDictionary(l => l.QuantizedOutput, StringComparer.Ordinal);
        totals = quantised.Layers.ToDictionary(l => l.Node, _ => new SignalToQuantizationNoise(), StringComparer.Ordinal);
    }

    /// <summary>Runs both graphs on one sample or batch, adds each layer's error, and returns both graphs' outputs.</summary>
    public (IReadOnlyDictionary<string, IValue> Float, IReadOnlyDictionary<string, IValue> Quantised) Run(IReadOnlyDictionary<string, IValue> inputs)
    {
        var reference = new FloatCapture(byFloatValue);
        var floatOutputs = floatInterpreter.Run(inputs, reference);
        var comparison = new IntegerComparison(byIntegerValue, reference.Values);
        var integerOutputs = integerInterpreter.Run(inputs, comparison);
        lock (totals)
        {
            foreach (var (node, sqnr) in comparison.PerLayer)
            {
                totals[node].Add(sqnr);
            }
        }
        return (floatOutputs, integerOutputs);
    }

    /// <summary>Each quantised layer's SQNR in dB over everything run so far, by node name.</summary>
    public IReadOnlyDictionary<string, SignalToQuantizationNoise> PerLayer
    {
        get
        {
            lock (totals)
            {
                return totals.ToDictionary(p => p.Key, p =>
                {
                    var copy = new SignalToQuantizationNoise();
                    copy.Add(p.Value);
                    return copy;
                }, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The real values an integer tensor of <paramref name="scheme"/> stands for: scale · (q − zero point).</summary>
    public static float[] Dequantize(Tensor integers, ActivationScheme scheme)
    {
        var values = IntegerValues.ToInt32(integers, scheme.ZeroPoint);
        var real = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            real[i] = scheme.Scale * values[i];
        }
        return real;
    }

    private sealed class FloatCapture(Dictionary<string, QuantizedLayer> wanted) : IValueObserver
    {
        public Dictionary<string, Tensor> Values { get; } = new(StringComparer.Ordinal);

        public void Observe(string name, IValue value)
        {
            if (wanted.ContainsKey(name) && value is Tensor tensor)
            {
                Values[name] = tensor;
            }
        }
    }

    private sealed class IntegerComparison(Dictionary<string, QuantizedLayer> wanted, Dictionary<string, Tensor> reference) : IValueObserver
    {
        public Dictionary<string, SignalToQuantizationNoise> PerLayer { get; } = new(StringComparer.Ordinal);

        public void Observe(string name, IValue value)
        {
            if (!wanted.TryGetValue(name, out var layer) || value is not Tensor integers)
            {
                return;
            }
            var expected = reference[layer.Output];
            if (!expected.Shape.SequenceEqual(integers.Shape))
            {
                throw new NeuriteException("quantize.report", $"layer '{layer.Node}': the integer output '{name}' has shape [{string.Join(",", integers.Shape.ToArray())}], the float '{layer.Output}' [{string.Join(",", expected.Shape.ToArray())}]");
            }
            if (!PerLayer.TryGetValue(layer.Node, out var sqnr))
            {
                PerLayer[layer.Node] = sqnr = new SignalToQuantizationNoise();
            }
            sqnr.Add(TensorConvert.ToFloat32(expected).Span<float>(), Dequantize(integers, layer.OutputScheme));
            // The float value is not needed again in this run; letting go of it keeps memory to the live layers.
            reference.Remove(layer.Output);
        }
    }
}
