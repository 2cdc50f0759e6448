namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// What a quantisation did and what it cost, whatever the scheme: the nodes left in float, the
/// model's weight bytes before and after, which samples the per-layer SQNR was measured on, and
/// accuracies before and after when labelled data was given. Each scheme adds its own per-layer
/// rows (<see cref="IntegerQuantizationReport"/>, <see cref="FixedPointQuantizationReport"/>), so
/// a reader switches on the type once instead of testing nullable fields. The driver prints and
/// writes it.
/// </summary>
public abstract record QuantizationReport(
    IReadOnlyList<string> FloatNodes,
    long FloatWeightBytes,
    long QuantizedWeightBytes,
    int CalibrationSamples,
    SqnrMeasurement Sqnr,
    AccuracyComparison? Accuracy);

/// <summary>
/// The report of an integer quantisation: per layer its scheme, widths, calibrated range, scales,
/// zero point and the SQNR of its output against the float model; and the mixed-precision
/// decisions when an accuracy budget was given.
/// </summary>
public sealed record IntegerQuantizationReport(
    IReadOnlyList<LayerReport> Layers,
    IReadOnlyList<string> FloatNodes,
    long FloatWeightBytes,
    long QuantizedWeightBytes,
    int CalibrationSamples,
    SqnrMeasurement Sqnr,
    AccuracyComparison? Accuracy,
    MixedPrecisionDecision? MixedPrecision)
    : QuantizationReport(FloatNodes, FloatWeightBytes, QuantizedWeightBytes, CalibrationSamples, Sqnr, Accuracy)
{
    /// <summary>The per-layer rows of a quantisation, with the SQNR each layer's output reached.</summary>
    public static IReadOnlyList<LayerReport> LayersOf(QuantizationResult result, IReadOnlyDictionary<string, SignalToQuantizationNoise> sqnr, IReadOnlySet<string>? highPrecision = null) =>
        result.Layers.Select(l => new LayerReport(
            l.Node,
            l.Op,
            l.FusedActivation,
            l.WeightBits,
            l.OutputScheme.Bits,
            l.WeightBits > 0 && l.PerChannelWeights,
            l.SymmetricActivations,
            l.OutputRange.Min,
            l.OutputRange.Max,
            l.WeightScales.Length > 0 ? l.WeightScales.Min() : null,
            l.WeightScales.Length > 0 ? l.WeightScales.Max() : null,
            l.OutputScheme.Scale,
            l.OutputScheme.ZeroPoint,
            sqnr.TryGetValue(l.Node, out var s) ? s.Decibels : double.NaN,
            highPrecision?.Contains(l.Node) == true)).ToList();
}

/// <param name="WeightBits">0 for a layer without weights (an Add, an average pool).</param>
/// <param name="ActivationBits">The width of the layer's output.</param>
/// <param name="PerChannel">One weight scale per output channel (weights are always symmetric).</param>
/// <param name="Symmetric">The output's zero point is fixed at 0.</param>
/// <param name="WeightScaleMin">The smallest weight scale (the only one per tensor); null without weights.</param>
/// <param name="SqnrDecibels">10·log10(Σx² / Σ(x − x̂)²) of the output over the measured samples; +∞ when exact.</param>
/// <param name="HighPrecision">Mixed precision kept this layer at the wider grid.</param>
public sealed record LayerReport(
    string Node,
    string Op,
    string? FusedActivation,
    int WeightBits,
    int ActivationBits,
    bool PerChannel,
    bool Symmetric,
    float RangeMin,
    float RangeMax,
    float? WeightScaleMin,
    float? WeightScaleMax,
    float Scale,
    int ZeroPoint,
    double SqnrDecibels,
    bool HighPrecision);

/// <summary>Which samples the SQNR was measured on ("evaluation" or "calibration") and how many.</summary>
public sealed record SqnrMeasurement(string Data, int Samples);

/// <summary>Top-1 accuracy of the float and the quantised model on the same labelled samples.</summary>
public sealed record AccuracyComparison(int Samples, double Float, double Quantised)
{
    /// <summary>How much the quantised model lost, in percentage points.</summary>
    public double DropPoints => (Float - Quantised) * 100;
}
