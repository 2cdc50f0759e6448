using Neurite.Ir;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Passes.Quantize.FixedPoint;

namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// Measures how far each quantised layer's output is from the float value it stands for: the
/// float graph and the quantised graph run on the same samples, an observer keeps the float
/// layer outputs of one run, and the quantised run's outputs are turned back into reals
/// (integers: scale · (q − zero point); fixed point: raw · 2^-F) and compared with them as they
/// are computed. Only one batch's layer outputs are held at a time. Error accumulates through
/// the graph, so a layer's SQNR includes what the layers before it lost: it is what the model
/// really computes there. Safe to call from several threads at once.
/// </summary>
public sealed class LayerErrorMeter
{
    private readonly Interpreter floatInterpreter;
    private readonly Interpreter quantisedInterpreter;
    private readonly Dictionary<string, MeasuredLayer> byFloatValue;
    private readonly Dictionary<string, MeasuredLayer> byQuantisedValue;
    private readonly Dictionary<string, SignalToQuantizationNoise> totals;

    /// <param name="layers">What to compare, one entry per layer: the scheme's own reading of its values is all the meter needs to know of it.</param>
    public LayerErrorMeter(Model floatModel, Model quantisedModel, IReadOnlyList<MeasuredLayer> layers)
    {
        floatInterpreter = new Interpreter(floatModel);
        quantisedInterpreter = new Interpreter(quantisedModel);
        byFloatValue = layers.ToDictionary(l => l.FloatValue, StringComparer.Ordinal);
        byQuantisedValue = layers.ToDictionary(l => l.QuantizedValue, StringComparer.Ordinal);
        totals = layers.ToDictionary(l => l.Node, _ => new SignalToQuantizationNoise(), StringComparer.Ordinal);
    }

    /// <summary>The layers of an integer quantisation, each output dequantised with its scheme.</summary>
    public LayerErrorMeter(Model floatModel, QuantizationResult quantised)
        : this(floatModel, quantised.Model, [.. quantised.Layers.Select(l => new MeasuredLayer(l.Node, l.Output, l.QuantizedOutput, t => Dequantize(t, l.OutputScheme)))])
    {
    }

    /// <summary>The layers of a fixed-point quantisation, each output read as raw · 2^-F of its result type.</summary>
    public LayerErrorMeter(Model floatModel, FixedPointResult quantised)
        : this(floatModel, quantised.Model, [.. quantised.Layers.Select(l => new MeasuredLayer(l.Node, l.Output, l.FixedOutput, t => ToReal(t, l.Result)))])
    {
    }

    /// <summary>Runs both graphs on one sample or batch, adds each layer's error, and returns both graphs' outputs.</summary>
    public (IReadOnlyDictionary<string, IValue> Float, IReadOnlyDictionary<string, IValue> Quantised) Run(IReadOnlyDictionary<string, IValue> inputs)
    {
        var reference = new FloatCapture(byFloatValue);
        var floatOutputs = floatInterpreter.Run(inputs, reference);
        var comparison = new QuantisedComparison(byQuantisedValue, reference.Values);
        var quantisedOutputs = quantisedInterpreter.Run(inputs, comparison);
        lock (totals)
        {
            foreach (var (node, sqnr) in comparison.PerLayer)
            {
                totals[node].Add(sqnr);
            }
        }
        return (floatOutputs, quantisedOutputs);
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

    /// <summary>The real values a fixed-point tensor of <paramref name="type"/> stands for: raw · 2^-F.</summary>
    public static float[] ToReal(Tensor raw, FixedPointType type)
    {
        var values = FixedPointTensors.Raw(raw);
        var real = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            real[i] = (float)FixedPointConversion.ToReal(values[i], type);
        }
        return real;
    }

    private sealed class FloatCapture(Dictionary<string, MeasuredLayer> wanted) : IValueObserver
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

    private sealed class QuantisedComparison(Dictionary<string, MeasuredLayer> wanted, Dictionary<string, Tensor> reference) : IValueObserver
    {
        public Dictionary<string, SignalToQuantizationNoise> PerLayer { get; } = new(StringComparer.Ordinal);

        public void Observe(string name, IValue value)
        {
            if (!wanted.TryGetValue(name, out var layer) || value is not Tensor quantised)
            {
                return;
            }
            var expected = reference[layer.FloatValue];
            if (!expected.Shape.SequenceEqual(quantised.Shape))
            {
                throw new NeuriteException("quantize.report", $"layer '{layer.Node}': the quantised output '{name}' has shape [{string.Join(",", quantised.Shape.ToArray())}], the float '{layer.FloatValue}' [{string.Join(",", expected.Shape.ToArray())}]");
            }
            if (!PerLayer.TryGetValue(layer.Node, out var sqnr))
            {
                PerLayer[layer.Node] = sqnr = new SignalToQuantizationNoise();
            }
            sqnr.Add(TensorConvert.ToFloat32(expected).Span<float>(), layer.ToReal(quantised));
            // The float value is not needed again in this run; letting go of it keeps memory to the live layers.
            reference.Remove(layer.FloatValue);
        }
    }
}

/// <summary>One layer a <see cref="LayerErrorMeter"/> compares: the float value, the quantised value that replaced it, and how the quantised tensor becomes the reals it stands for.</summary>
public sealed record MeasuredLayer(string Node, string FloatValue, string QuantizedValue, Func<Tensor, float[]> ToReal);
