using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// One layer as fixed-point quantisation left it, with its overflow analysis: a row of the
/// report. The accumulator widths are signed bit counts, sign included, of the largest
/// accumulator magnitude Σ|w|·max|x| + |b| (in the accumulator's units): for any input the
/// input type can hold (<see cref="WorstCaseAccumulatorBits"/>), and for inputs within the
/// calibrated range (<see cref="CalibratedAccumulatorBits"/>).
/// </summary>
/// <param name="Output">The float value the layer computes (after the fused ReLU, if any): what <paramref name="FixedOutput"/> stands for.</param>
/// <param name="FixedOutput">The fixed-point value of type <paramref name="Result"/> that replaced <paramref name="Output"/>: its raw integers · 2^-F are the reals a comparison with the float model reads.</param>
/// <param name="Inputs">The types of the layer's fixed-point inputs: one, or two for an Add.</param>
/// <param name="Weights">The weights' type; null for an Add. An average pool's weights are 1/window.</param>
/// <param name="InputRange">The calibrated range of the (first) input.</param>
/// <param name="OutputRange">The calibrated range of the result (after the fused ReLU, if any).</param>
/// <param name="AccumulatorCanOverflow">The accumulator is narrower than <see cref="CalibratedAccumulatorBits"/>: it can wrap or saturate on inputs calibration saw.</param>
/// <param name="ResultCanOverflow">The result type does not hold the calibrated output range.</param>
public sealed record FixedPointLayer(
    string Node,
    string Op,
    string Output,
    string FixedOutput,
    string? FusedActivation,
    IReadOnlyList<FixedPointType> Inputs,
    FixedPointType? Weights,
    FixedPointType? Bias,
    FixedPointType Accumulator,
    FixedPointType Result,
    TensorRange InputRange,
    TensorRange OutputRange,
    int WorstCaseAccumulatorBits,
    int CalibratedAccumulatorBits,
    bool AccumulatorCanOverflow,
    bool ResultCanOverflow);

/// <summary>
/// The fixed-point graph, each layer's types and overflow analysis, the nodes that stayed float
/// (between FromFixed and ToFixed), and warnings: a type that can overflow on the calibrated
/// range, an accumulator that needed more than 64 bits.
/// </summary>
public sealed record FixedPointResult(
    Model Model,
    IReadOnlyList<FixedPointLayer> Layers,
    IReadOnlyList<string> FloatNodes,
    IReadOnlyList<Diagnostic> Diagnostics);
