using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <summary>One layer as quantisation left it: what the report shows per layer.</summary>
/// <param name="Output">The float value the layer computes (after a fused activation): what the quantised output stands for.</param>
/// <param name="QuantizedOutput">The integer value that replaced <paramref name="Output"/>, of scheme <paramref name="OutputScheme"/>.</param>
/// <param name="WeightBits">0 for layers without weights.</param>
/// <param name="WeightScales">Per output channel (or one) scale of the weights; empty for layers without weights.</param>
/// <param name="PerChannelWeights">One weight scale per output channel (else one for the tensor).</param>
/// <param name="SymmetricActivations">The output's zero point is fixed at 0 (else the calibrated range placed it).</param>
/// <param name="FusedActivation">The Relu or Clip folded into the layer's clamp, if any.</param>
public sealed record QuantizedLayer(
    string Node,
    string Op,
    string Output,
    string QuantizedOutput,
    ActivationScheme OutputScheme,
    TensorRange OutputRange,
    int WeightBits,
    float[] WeightScales,
    bool PerChannelWeights,
    bool SymmetricActivations,
    string? FusedActivation);

/// <summary>The integer graph and what was done to each layer; <see cref="FloatNodes"/> stayed in float (between dequantise and quantise).</summary>
/// <param name="FloatValues">
/// Every integer value of the graph mapped to the float value of the original graph it stands for
/// (a layer's output, a quantised input, a max pool on integers): what a float-against-integer
/// comparison of intermediate values reads, so nobody parses the quantiser's names.
/// </param>
public sealed record QuantizationResult(
    Ir.Model Model,
    IReadOnlyList<QuantizedLayer> Layers,
    IReadOnlyList<string> FloatNodes,
    IReadOnlyDictionary<string, string> FloatValues);
