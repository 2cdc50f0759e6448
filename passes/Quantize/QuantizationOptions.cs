using System.Collections.Immutable;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <param name="WeightBits">8, or 4 (int4 values in int8 storage, range [-7, 7]).</param>
/// <param name="ActivationBits">8 or 16 (int16 activations are symmetric).</param>
/// <param name="PerChannel">One weight scale per output channel (else one per tensor).</param>
/// <param name="SymmetricActivations">Activations with zero point 0 (else the calibrated range decides it).</param>
public sealed record QuantizationOptions(
    int WeightBits = 8,
    int ActivationBits = 8,
    bool PerChannel = true,
    bool SymmetricActivations = false)
{
    /// <summary>Per-node departures from the widths above (mixed precision, one layer at a time), by node name.</summary>
    public ImmutableSortedDictionary<string, LayerPrecision> Layers { get; init; } = ImmutableSortedDictionary.Create<string, LayerPrecision>(StringComparer.Ordinal);

    public QuantizationOptions WithLayer(string node, LayerPrecision precision) => this with { Layers = Layers.SetItem(node, precision) };

    public int WeightBitsOf(string node) => Layers.GetValueOrDefault(node)?.WeightBits ?? WeightBits;

    public int ActivationBitsOf(string node) => Layers.GetValueOrDefault(node)?.ActivationBits ?? ActivationBits;

    public bool KeepsFloat(string node) => Layers.GetValueOrDefault(node)?.Float == true;

    /// <summary>Activations of this width are symmetric (int16 always: its grid is fine enough that the zero point buys nothing).</summary>
    public bool IsSymmetric(int activationBits) => IsSymmetric(SymmetricActivations, activationBits);

    /// <summary>The rule of <see cref="IsSymmetric(int)"/>, for those who calibrate before there are options.</summary>
    public static bool IsSymmetric(bool symmetricActivations, int activationBits) => symmetricActivations || activationBits == 16;

    public void Validate()
    {
        CheckWeightBits(WeightBits, "weights are quantised");
        CheckActivationBits(ActivationBits, "activations are quantised");
        foreach (var (node, precision) in Layers)
        {
            if (precision.WeightBits is int w)
            {
                CheckWeightBits(w, $"layer '{node}': weights are quantised");
            }
            if (precision.ActivationBits is int a)
            {
                CheckActivationBits(a, $"layer '{node}': activations are quantised");
            }
        }
    }

    /// <summary>The calibration settings that fit these options (the bits entropy and MSE weigh rounding against).</summary>
    public CalibrationOptions Calibration(CalibrationMethod method, double percentile = 99.999) =>
        new(method, percentile, ActivationBits, IsSymmetric(ActivationBits));

    private static void CheckWeightBits(int bits, string what)
    {
        if (bits is not (4 or 8))
        {
            throw new ArgumentException($"{what} to 8 or 4 bits, not {bits}");
        }
    }

    private static void CheckActivationBits(int bits, string what)
    {
        if (bits is not (8 or 16))
        {
            throw new ArgumentException($"{what} to 8 or 16 bits, not {bits}");
        }
    }
}
