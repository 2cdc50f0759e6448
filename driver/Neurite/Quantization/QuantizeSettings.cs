using System.Globalization;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite;

/// <summary>
/// What <c>neurite quantize</c> and <c>compile --quantize</c> are asked for: number formats,
/// weight and activation schemes, how ranges are calibrated, and (with labelled data) an
/// accuracy budget that turns on mixed precision.
/// </summary>
public sealed record QuantizeSettings
{
    public NumberFormat Weights { get; init; } = NumberFormat.Int8;

    public NumberFormat Activations { get; init; } = NumberFormat.Int8;

    /// <summary>One weight scale per output channel (else one per tensor).</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Activations with zero point 0 (else asymmetric: the calibrated range places it).</summary>
    public bool SymmetricActivations { get; init; }

    public CalibrationMethod Method { get; init; } = CalibrationMethod.Percentile;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the share of values (in percent) the range keeps.</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>Samples per interpreter run while calibrating and measuring (a model that fixes its batch size uses that).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>With labelled data: the largest accuracy drop allowed, in percentage points; sensitive layers then stay at a higher precision.</summary>
    public double? AccuracyBudget { get; init; }

    /// <summary>The passes layer's options for these settings; only integer formats are quantised this way.</summary>
    public QuantizationOptions ToOptions() => new(Bits(Weights, "weights"), Bits(Activations, "activations"), PerChannel, SymmetricActivations);

    /// <summary>What a layer keeps when mixed precision finds it sensitive: int8 weights when the target is int4, else int16 activations.</summary>
    public LayerPrecision HighPrecision() => (Weights, Activations) switch
    {
        (IntegerFormat { Bits: 4 }, _) => new LayerPrecision(WeightBits: 8),
        (_, IntegerFormat { Bits: 8 }) => new LayerPrecision(ActivationBits: 16),
        _ => throw new NeuriteException("quantize.budget",
            $"--accuracy-budget keeps sensitive layers at int8 weights (when the target is int4) or int16 activations (when it is int8); with {Weights} weights and {Activations} activations there is no higher precision to keep them at"),
    };

    public static CalibrationMethod ParseMethod(string text) => text.Trim().ToLowerInvariant() switch
    {
        "minmax" => CalibrationMethod.MinMax,
        "percentile" => CalibrationMethod.Percentile,
        "entropy" => CalibrationMethod.Entropy,
        "mse" => CalibrationMethod.Mse,
        _ => throw new NeuriteException("quantize.method", $"--method '{text}': calibration methods are minmax, percentile, entropy and mse"),
    };

    public void Validate()
    {
        if (Percentile is <= 50 or > 100)
        {
            throw new NeuriteException("quantize.percentile", string.Create(CultureInfo.InvariantCulture, $"--percentile {Percentile}: the percentile must be above 50 and at most 100"));
        }
        if (Batch <= 0)
        {
            throw new NeuriteException("quantize.batch", $"--calib-batch {Batch}: the batch size must be positive");
        }
        if (AccuracyBudget is double budget && (budget < 0 || !double.IsFinite(budget)))
        {
            throw new NeuriteException("quantize.budget", string.Create(CultureInfo.InvariantCulture, $"--accuracy-budget {budget}: the budget is a non-negative number of percentage points"));
        }
        ToOptions();
        if (AccuracyBudget is not null)
        {
            HighPrecision();
        }
    }

    /// <summary>The settings in one line, as the manifest's pass list and the report record them.</summary>
    public override string ToString()
    {
        string method = Method switch
        {
            CalibrationMethod.Percentile => string.Create(CultureInfo.InvariantCulture, $"percentile {Percentile}"),
            _ => Method.ToString().ToLowerInvariant(),
        };
        return $"weights={Weights}, activations={Activations}, {(PerChannel ? "per-channel" : "per-tensor")}, {(SymmetricActivations ? "symmetric" : "asymmetric")}, method={method}"
            + (AccuracyBudget is double b ? string.Create(CultureInfo.InvariantCulture, $", accuracy-budget={b} pp") : "");
    }

    private static int Bits(NumberFormat format, string role) => format is IntegerFormat integer
        ? integer.Bits
        : throw new NeuriteException("quantize.format", $"{role} in {format} are not quantised by post-training integer quantisation");
}
