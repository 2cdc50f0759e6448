using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// Fixed-point quantisation for FPGA-style targets, hls4ml's ap_fixed scheme: Conv, Gemm and
/// MatMul with constant weights become <c>neurite.FixedConv</c>/<c>FixedGemm</c> (weights, bias,
/// accumulator and result each of a <c>fixed&lt;W,I&gt;</c> type, a following ReLU fused), residual
/// Adds <c>neurite.FixedAdd</c>, average pools depthwise FixedConvs with 1/window weights; max
/// pooling, ReLU and data movement run on the raw integers unchanged. The graph's inputs enter
/// through <c>neurite.ToFixed</c> and its outputs (and whatever stays float, listed) leave through
/// <c>neurite.FromFixed</c>. Every fixed-point value is declared with its
/// <see cref="FixedPointType"/>, and every layer comes with its overflow analysis.
/// </summary>
public static class FixedPointQuantizer
{
    /// <param name="calibration">Ranges of the float model's tensors (a <see cref="Calibrator"/> run; the method and bits it was made for do not matter to fixed point, min-max is the natural choice).</param>
    public static FixedPointResult Quantize(Model model, CalibrationTable calibration, FixedPointOptions options)
    {
        options.Validate(model);
        var types = TypeInference.Run(model).Types;
        return new FixedPointGraphQuantization(model, types, calibration, options).Run();
    }
}
