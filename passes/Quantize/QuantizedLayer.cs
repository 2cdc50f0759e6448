using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <summary>One layer as quantisation left it: what the report shows per layer.</summary>
/// <param name="WeightScales">Per output channel (or one) scale of the weights; empty for layers without weights.</param>
/// <param name="FusedActivation">The Relu or Clip folded into the layer's clamp, if any.</param>
public sealed record QuantizedLayer(
    string Node,
    string Op,
    string Output,
    ActivationScheme OutputScheme,
    TensorRange OutputRange,
    int WeightBits,
    float[] WeightScales,
    string? FusedActivation);

/// <summary>The integer graph and what was done to each layer; <see cref="FloatNodes"/> stayed in float (between dequantise and quantise).</summary>
public sealed record QuantizationResult(
    Ir.Model Model,
    IReadOnlyList<QuantizedLayer> Layers,
    IReadOnlyList<string> FloatNodes);
