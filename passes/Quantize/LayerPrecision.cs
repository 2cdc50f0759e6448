namespace Neurite.Passes.Quantize;

/// <summary>
/// How one layer (a node, by name) departs from the model-wide <see cref="QuantizationOptions"/>:
/// other weight or activation widths, or no quantisation at all. Mixed precision keeps the
/// layers accuracy is most sensitive to at a wider grid; sensitivity analysis quantises one layer
/// while every other stays float.
/// </summary>
/// <param name="WeightBits">8 or 4; null keeps the model-wide width.</param>
/// <param name="ActivationBits">8 or 16, the width of the layer's output (and of an input it has to quantise itself); null keeps the model-wide width.</param>
/// <param name="Float">The node stays a float op (its inputs are dequantised if need be).</param>
public sealed record LayerPrecision(int? WeightBits = null, int? ActivationBits = null, bool Float = false)
{
    public static LayerPrecision KeepFloat { get; } = new(Float: true);

    public override string ToString() => Float
        ? "float"
        : string.Join(", ", new[] { WeightBits is int w ? $"int{w} weights" : null, ActivationBits is int a ? $"int{a} activations" : null }.OfType<string>());
}
