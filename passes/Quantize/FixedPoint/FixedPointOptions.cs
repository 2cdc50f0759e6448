using Neurite.Ir;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// How <see cref="FixedPointQuantizer"/> chooses types. <see cref="Default"/> covers every weight,
/// bias and activation (an auto precision chooses each tensor's integer bits: an activation's
/// from its calibrated range, a weight's or bias's from its own largest magnitude), unless
/// <see cref="Weights"/> or <see cref="Bias"/> give the weights and biases of every layer their
/// own (hls4ml's model-wide weight_t and bias_t); every layer's accumulator is, unless
/// <see cref="Accumulator"/> or an override says otherwise, exactly as wide as the worst case needs
/// (it never overflows). <see cref="Layers"/>
/// overrides any of the four for one layer, by node name.
/// </summary>
/// <param name="RangeMargin">An auto precision takes the smallest I with max|x| · margin &lt; 2^(I-1) (2^I unsigned): above 1 leaves headroom for inputs beyond what calibration saw.</param>
public sealed record FixedPointOptions(FixedPointPrecision Default, double RangeMargin = 1.0)
{
    /// <summary>hls4ml's default precision, ap_fixed&lt;16,6&gt; (truncate, wrap).</summary>
    public FixedPointOptions() : this(new FixedPointPrecision(16, 6))
    {
    }

    public IReadOnlyDictionary<string, FixedPointLayerPrecision> Layers { get; init; } = new Dictionary<string, FixedPointLayerPrecision>();

    /// <summary>Every layer's weights (null: <see cref="Default"/>). Weights are small and known at compile time, so fixed&lt;16,auto&gt; keeps their fraction bits.</summary>
    public FixedPointPrecision? Weights { get; init; }

    /// <summary>Every layer's bias (null: <see cref="Default"/>).</summary>
    public FixedPointPrecision? Bias { get; init; }

    /// <summary>
    /// Every layer's accumulator (hls4ml's model-wide accum_t; a layer's own override wins); null:
    /// exactly as wide as the layer's worst case. Auto integer bits keep the exact product's
    /// fraction bits at the given width. Residual Adds always sum exactly.
    /// </summary>
    public FixedPointPrecision? Accumulator { get; init; }

    /// <summary>Throws a <see cref="NeuriteException"/> for a precision no type can have, a margin below 1, or an override of a node the model has no layer by.</summary>
    public void Validate(Model model)
    {
        Default.Validate("the default precision");
        Weights?.Validate("the weight precision");
        Bias?.Validate("the bias precision");
        Accumulator?.Validate("the accumulator precision");
        if (!double.IsFinite(RangeMargin) || RangeMargin < 1)
        {
            throw new NeuriteException("fixed.options", $"the range margin must be a finite factor of at least 1, not {RangeMargin}");
        }
        var layers = model.Graph.Nodes.Where(FixedPointGraphQuantization.IsLayer).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, precision) in Layers)
        {
            if (!layers.Contains(name))
            {
                var node = model.Graph.Nodes.FirstOrDefault(n => n.Name == name);
                string known = layers.Count == 0 ? "it has none" : $"its layers are {string.Join(", ", layers.Order(StringComparer.Ordinal).Select(l => $"'{l}'"))}";
                throw new NeuriteException("fixed.unknown-layer", node is null
                    ? $"a precision override names layer '{name}', which the model does not have ({known})"
                    : $"a precision override names node '{name}', a {node.OpType}, which is not a Conv, Gemm, MatMul, Add or pooling layer ({known})");
            }
            precision.Weights?.Validate($"the weights of layer '{name}'");
            precision.Bias?.Validate($"the bias of layer '{name}'");
            precision.Result?.Validate($"the result of layer '{name}'");
            precision.Accumulator?.Validate($"the accumulator of layer '{name}'");
        }
    }
}

/// <summary>
/// One layer's own precisions; null keeps the default. An accumulator with auto integer bits has
/// the given width and the exact product's fraction bits (Fx + Fw); one with explicit bits casts
/// every product to it, as hls4ml's accum_t does.
/// </summary>
public sealed record FixedPointLayerPrecision(
    FixedPointPrecision? Weights = null,
    FixedPointPrecision? Bias = null,
    FixedPointPrecision? Result = null,
    FixedPointPrecision? Accumulator = null);
