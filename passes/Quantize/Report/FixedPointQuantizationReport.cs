using Neurite.Passes.Quantize.FixedPoint;

namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// The report of a fixed-point quantisation: per layer its types, the accumulator bits its worst
/// case and its calibrated range need, its overflow flags and the SQNR of its output against the
/// float model; and the weights' size in bits as hardware stores them (W bits per value, so a
/// fixed&lt;16,6&gt; model's weights take 16 bits each: bytes are W · count / 8).
/// </summary>
/// <param name="FloatWeightBits">The float model's constants in bits (32 per float32 value).</param>
/// <param name="QuantizedWeightBits">The fixed-point model's constants in bits, W per value.</param>
public sealed record FixedPointQuantizationReport(
    IReadOnlyList<FixedPointLayerReport> Layers,
    IReadOnlyList<string> FloatNodes,
    long FloatWeightBits,
    long QuantizedWeightBits,
    long FloatWeightBytes,
    long QuantizedWeightBytes,
    int CalibrationSamples,
    SqnrMeasurement Sqnr,
    AccuracyComparison? Accuracy)
    : QuantizationReport(FloatNodes, FloatWeightBytes, QuantizedWeightBytes, CalibrationSamples, Sqnr, Accuracy)
{
    /// <summary>The per-layer rows of a fixed-point quantisation, with the SQNR each layer's output reached.</summary>
    public static IReadOnlyList<FixedPointLayerReport> LayersOf(FixedPointResult result, IReadOnlyDictionary<string, SignalToQuantizationNoise> sqnr) =>
        result.Layers.Select(l => new FixedPointLayerReport(l, sqnr.TryGetValue(l.Node, out var s) ? s.Decibels : double.NaN)).ToList();
}

/// <summary>One fixed-point layer as the quantiser analysed it, and how close its output came to the float model's.</summary>
/// <param name="SqnrDecibels">10·log10(Σx² / Σ(x − x̂)²) of the output over the measured samples; +∞ when exact.</param>
public sealed record FixedPointLayerReport(FixedPointLayer Layer, double SqnrDecibels);
