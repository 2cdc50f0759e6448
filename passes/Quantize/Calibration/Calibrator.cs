using Neurite.Ir;
using Neurite.Ir.Kernels;

namespace Neurite.Passes.Quantize.Calibration;

/// <summary>
/// Runs a model over calibration samples in the interpreter and keeps, for every float tensor
/// the model computes (and its inputs), exact extremes and a growing histogram: one streaming
/// pass, memory independent of the number of samples, nothing of the activations kept.
/// </summary>
public sealed class Calibrator
{
    private readonly Interpreter interpreter;
    private readonly Dictionary<string, TensorStatistics> statistics = new(StringComparer.Ordinal);

    public Calibrator(Model model)
    {
        interpreter = new Interpreter(model);
    }

    /// <summary>How many samples (calls of <see cref="Observe"/>) have been seen.</summary>
    public int Samples { get; private set; }

    public IReadOnlyDictionary<string, TensorStatistics> Statistics => statistics;

    /// <summary>Runs one sample (or batch) and adds what every tensor held to the statistics.</summary>
    public void Observe(IReadOnlyDictionary<string, IValue> inputs)
    {
        interpreter.Run(inputs, new Collector(statistics));
        Samples++;
    }

    /// <summary>Calibrated ranges of every observed tensor, by name.</summary>
    public CalibrationTable Ranges(CalibrationOptions options)
    {
        options.Validate();
        var ranges = statistics
            .Where(p => p.Value.Count > 0)
            .ToDictionary(p => p.Key, p => RangeEstimator.Estimate(p.Value, options), StringComparer.Ordinal);
        var means = statistics
            .Where(p => p.Value.ChannelMeans is not null)
            .ToDictionary(p => p.Key, p => p.Value.ChannelMeans!, StringComparer.Ordinal);
        return new CalibrationTable(options, Samples, ranges, means);
    }

    private sealed class Collector(Dictionary<string, TensorStatistics> statistics) : IValueObserver
    {
        public void Observe(string name, IValue value)
        {
            if (value is not Tensor tensor || !tensor.DataType.IsFloatingPoint())
            {
                return;
            }
            if (!statistics.TryGetValue(name, out var stats))
            {
                statistics[name] = stats = new TensorStatistics();
            }
            stats.Add(tensor.DataType == DataType.Float32 ? tensor.Span<float>() : TensorConvert.ToFloat32(tensor).Span<float>(), tensor.Shape);
        }
    }
}

/// <summary>The calibrated range of each tensor, with how it was obtained, and the per-channel means of the tensors of rank ≥ 2.</summary>
public sealed record CalibrationTable(
    CalibrationOptions Options,
    int Samples,
    IReadOnlyDictionary<string, TensorRange> Ranges,
    IReadOnlyDictionary<string, double[]>? ChannelMeans = null);
