using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <summary>
/// Post-training quantisation to an integer-only graph: Conv, Gemm and MatMul with constant
/// weights become <c>neurite.QConv</c>/<c>QGemm</c> (int8 or int4 weights, int32 bias, Q0.31
/// requantisation multipliers, a following Relu or Clip folded into the clamp); residual Adds
/// become <c>neurite.QAdd</c>; average pools become depthwise QConvs whose weights are ones;
/// max pooling and the data-movement ops run on the integers unchanged. What cannot be quantised
/// (or is told to stay float, <see cref="LayerPrecision.Float"/>) stays float between
/// DequantizeLinear and QuantizeLinear, and is listed. Every quantised tensor's type carries its
/// scale and zero point. The graph's inputs and outputs stay float.
/// </summary>
public static class PostTrainingQuantizer
{
    /// <summary>Quantises with one calibration table for every activation width.</summary>
    public static QuantizationResult Quantize(Model model, CalibrationTable calibration, QuantizationOptions options) =>
        Quantize(model, CalibrationTables.Fixed(calibration), options);

    /// <summary>Quantises with the ranges calibrated for each activation width the options use (int16 layers among int8 ones).</summary>
    public static QuantizationResult Quantize(Model model, CalibrationTables calibrations, QuantizationOptions options)
    {
        options.Validate();
        if ((model.OpsetOf("") ?? 0) < 13)
        {
            throw new NeuriteException("quantize.opset", $"quantisation writes ai.onnx opset-13 ops; the model imports opset {model.OpsetOf("")} (upgrade it first)");
        }
        var nodes = model.Graph.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = options.Layers.Keys.Where(name => !nodes.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new NeuriteException("quantize.layer", $"per-layer precision for {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which the graph has no node of");
        }
        var types = TypeInference.Run(model).Types;
        return new GraphQuantization(model, types, calibrations, options).Run();
    }
}
