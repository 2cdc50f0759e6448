using System.Globalization;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.FixedPoint;

namespace Neurite;

/// <summary>
/// What <c>neurite quantize</c> and <c>compile --quantize</c> are asked for: number formats
/// (integers or fixed point, one scheme for the whole model), weight and activation schemes, how
/// ranges are calibrated, and (with labelled data, integer formats) an accuracy budget that turns
/// on mixed precision. Options that mean nothing for the chosen scheme are refused by
/// <see cref="Validate"/> rather than ignored, so nobody believes they had an effect.
/// </summary>
public sealed record QuantizeSettings
{
    private readonly NumberFormat? weights;
    private readonly CalibrationMethod? method;

    public NumberFormat Activations { get; init; } = NumberFormat.Int8;

    /// <summary>
    /// The weights' format (fixed point: the biases' too, hls4ml's bias_t = weight_t). Unless set:
    /// int8 for integer activations, and for fixed-point activations fixed&lt;W,auto&gt; of the
    /// activations' width and modes, signed. Weights are small (|w| &lt; 4 in the jet tagger and the
    /// zoo models) and known when compiling, so each tensor gets the integer bits its own largest
    /// magnitude needs and keeps the rest as fraction bits: with fixed&lt;16,6&gt; weights the jet
    /// tagger's weights would lose 3 or 4 fraction bits for integer range they never use, and its
    /// probabilities leave 2^-8 of float (2.2e-2 on 1,000 of hls4ml's test inputs, against 1.9e-3
    /// with fixed&lt;16,auto&gt; weights).
    /// </summary>
    public NumberFormat Weights
    {
        get => weights ?? DefaultWeights(Activations);
        init => weights = value;
    }

    /// <summary>One weight scale per output channel (else one per tensor).</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Activations with zero point 0 (else asymmetric: the calibrated range places it).</summary>
    public bool SymmetricActivations { get; init; }

    /// <summary>
    /// How ranges are calibrated. Unless set: percentile for integer formats (an outlier would
    /// stretch the grid of every value), min-max for fixed point, whose overflow analysis must see
    /// every value calibration saw and whose resolution an outlier does not change.
    /// </summary>
    public CalibrationMethod Method
    {
        get => method ?? (IsFixedPoint ? CalibrationMethod.MinMax : CalibrationMethod.Percentile);
        init => method = value;
    }

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the share of values (in percent) the range keeps.</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>Samples per interpreter run while calibrating and measuring (a model that fixes its batch size uses that).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>With labelled data: the largest accuracy drop allowed, in percentage points; sensitive layers then stay at a higher precision.</summary>
    public double? AccuracyBudget { get; init; }

    /// <summary>Fixed point: every layer's accumulator; null (the default) makes each exactly as wide as its worst case, so none can overflow.</summary>
    public FixedPointPrecision? Accumulator { get; init; }

    /// <summary>Fixed point: auto integer bits leave room for max|x| · margin (at least 1), for inputs beyond what calibration saw.</summary>
    public double RangeMargin { get; init; } = 1.0;

    /// <summary>True when the activations are fixed point: the model is quantised by fixed-point quantisation.</summary>
    public bool IsFixedPoint => Activations is FixedPointFormat;

    /// <summary>The passes layer's options for integer formats.</summary>
    public QuantizationOptions ToOptions() => new(Bits(Weights, "weights"), Bits(Activations, "activations"), PerChannel, SymmetricActivations);

    /// <summary>The passes layer's options for fixed point: the activations' precision is the default, the weights' serves the biases too.</summary>
    public FixedPointOptions ToFixedPointOptions()
    {
        if (Activations is not FixedPointFormat activations || Weights is not FixedPointFormat weightFormat)
        {
            throw new InvalidOperationException($"{this} is not a fixed-point quantisation");
        }
        return new FixedPointOptions(activations.Precision, RangeMargin)
        {
            Weights = weightFormat.Precision,
            Bias = weightFormat.Precision,
            Accumulator = Accumulator,
        };
    }

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

    /// <summary>Throws a <see cref="NeuriteException"/> for values out of range, schemes that mix, and options the chosen scheme has no use for.</summary>
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
        if (IsFixedPoint)
        {
            ValidateFixedPoint();
            return;
        }
        if (Weights is FixedPointFormat)
        {
            throw new NeuriteException("quantize.scheme",
                $"--weights {Weights} needs fixed-point activations too (e.g. --activations 'fixed<16,6>'), not {Activations}: integer and fixed-point schemes do not mix in one model");
        }
        if (Accumulator is not null)
        {
            throw new NeuriteException("quantize.scheme",
                "--accumulator is the accumulator type of fixed-point layers; integer layers accumulate in int32: give fixed-point --activations (e.g. 'fixed<16,6>') or leave it out");
        }
        if (RangeMargin != 1.0)
        {
            throw RangeMarginForIntegers();
        }
        ToOptions();
        if (AccuracyBudget is not null)
        {
            HighPrecision();
        }
    }

    private void ValidateFixedPoint()
    {
        ((FixedPointFormat)Activations).Precision.Validate("--activations");
        if (Weights is FixedPointFormat weightFormat)
        {
            weightFormat.Precision.Validate("--weights");
        }
        else
        {
            throw new NeuriteException("quantize.scheme",
                $"--weights {Weights} with --activations {Activations}: integer and fixed-point schemes do not mix in one model; give the weights as fixed point too (e.g. --weights 'fixed<16,auto>'), or leave --weights out: fixed-point weights default to {DefaultWeights(Activations)}");
        }
        if (!PerChannel)
        {
            throw NoWeightScales("--per-tensor");
        }
        if (SymmetricActivations)
        {
            throw new NeuriteException("quantize.scheme", "--symmetric places the zero point of integer activations; fixed point has none (real 0 is raw 0): leave it out with fixed-point --activations");
        }
        if (AccuracyBudget is not null)
        {
            throw new NeuriteException("quantize.scheme", "--accuracy-budget (mixed precision by sensitivity) is implemented for integer quantisation only; with fixed-point --activations choose the types with --weights and --accumulator");
        }
        if (Method is not (CalibrationMethod.MinMax or CalibrationMethod.Percentile))
        {
            throw new NeuriteException("quantize.method",
                $"--method {Method.ToString().ToLowerInvariant()} weighs clipping against an integer grid; fixed point calibrates with minmax (the default: the overflow analysis sees every value) or percentile");
        }
        if (!double.IsFinite(RangeMargin) || RangeMargin < 1)
        {
            throw new NeuriteException("quantize.margin", string.Create(CultureInfo.InvariantCulture, $"--range-margin {RangeMargin}: the margin is a factor of at least 1"));
        }
        Accumulator?.Validate("--accumulator");
    }

    /// <summary>The settings in one line, as the manifest's pass list and the report record them.</summary>
    public override string ToString()
    {
        string method = Method switch
        {
            CalibrationMethod.Percentile => string.Create(CultureInfo.InvariantCulture, $"percentile {Percentile}"),
            _ => Method.ToString().ToLowerInvariant(),
        };
        if (IsFixedPoint)
        {
            return $"activations={Activations}, weights={Weights}, biases={Weights}, accumulator={Accumulator?.ToString() ?? "worst case"}, method={method}"
                + (RangeMargin != 1.0 ? string.Create(CultureInfo.InvariantCulture, $", range-margin={RangeMargin}") : "");
        }
        return $"weights={Weights}, activations={Activations}, {(PerChannel ? "per-channel" : "per-tensor")}, {(SymmetricActivations ? "symmetric" : "asymmetric")}, method={method}"
            + (AccuracyBudget is double b ? string.Create(CultureInfo.InvariantCulture, $", accuracy-budget={b} pp") : "");
    }

    /// <summary>The diagnostic for a weight-scale option (--per-tensor, --per-channel) given with fixed point, which has no scales.</summary>
    public static NeuriteException NoWeightScales(string option) => new("quantize.scheme",
        $"{option} chooses how integer weights are scaled; fixed-point weights have no scale, each weight tensor's integer bits come from its own largest magnitude: leave it out with fixed-point --activations");

    /// <summary>The diagnostic for --range-margin with integer formats, which have no auto precisions to widen.</summary>
    public static NeuriteException RangeMarginForIntegers() => new("quantize.scheme",
        "--range-margin widens the ranges fixed-point auto precisions are chosen from: give fixed-point --activations (e.g. 'fixed<16,auto>') or leave it out");

    private static NumberFormat DefaultWeights(NumberFormat activations) => activations is FixedPointFormat fixedPoint
        ? new FixedPointFormat(fixedPoint.Precision with { IntegerBits = null, Signed = true })
        : NumberFormat.Int8;

    private static int Bits(NumberFormat format, string role) => format is IntegerFormat integer
        ? integer.Bits
        : throw new NeuriteException("quantize.format", $"{role} in {format} are not quantised by post-training integer quantisation");
}
