using System.CommandLine;
using System.Globalization;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// The options <c>neurite quantize</c> and <c>neurite compile --quantize</c> share: where the
/// calibration samples are and how they become inputs, and the quantisation settings. One
/// parser for both, so the two commands quantise the same way from the same words.
/// </summary>
internal sealed class QuantizationArguments
{
    public const int DefaultCalibrationCount = 1000;

    public Option<string[]> Calibration { get; } = new("--calib")
    {
        Description = "Calibration samples: .npy or .pb files (one sample or a stack along the first axis), an IDX file (*-ubyte, optionally .gz) or a folder of .npy/.pb files.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int> CalibrationCount { get; } = new("--calib-count")
    {
        Description = "How many calibration samples to use, the first ones (all when there are fewer).",
        DefaultValueFactory = _ => DefaultCalibrationCount,
    };

    public Option<int> CalibrationBatch { get; } = new("--calib-batch")
    {
        Description = "Samples per interpreter run while calibrating and measuring.",
        DefaultValueFactory = _ => new QuantizeSettings().Batch,
    };

    public Option<string?> Weights { get; } = new("--weights")
    {
        Description = "Weight format: int8 (default for integer activations), int4, or fixed point fixed<W,I|auto[,rounding][,overflow]> (also ufixed), which biases get too; "
            + "with fixed-point activations the default is fixed<W,auto> of their width and modes (each weight tensor's integer bits from its own largest magnitude, the rest fraction bits). Quote it in a shell: --weights 'fixed<16,auto>'.",
    };

    public Option<string?> Activations { get; } = new("--activations")
    {
        Description = "Activation format: int8 (default) or int16 (integer-only ops), or fixed point fixed<W,I|auto[,trn|rnd|rnd_conv|trn_zero][,wrap|sat|sat_sym]> (also ufixed; hls4ml's ap_fixed, default trn,wrap), "
            + "which turns every layer into neurite fixed-point ops. Quote it in a shell: --activations 'fixed<16,6>'.",
    };

    public Option<string?> Accumulator { get; } = new("--accumulator")
    {
        Description = "Fixed point: every layer's accumulator, e.g. 'fixed<32,auto>' (32 bits, the exact products' fraction bits) or 'fixed<32,12>' (products cast to it); default exactly as wide as each layer's worst case, which never overflows.",
    };

    public Option<double?> RangeMargin { get; } = new("--range-margin")
    {
        Description = "Fixed point: auto integer bits hold max|x| times this factor (default 1), room for inputs beyond what calibration saw.",
    };

    public Option<bool> PerChannel { get; } = new("--per-channel") { Description = "Integer weights: one weight scale per output channel (the default)." };

    public Option<bool> PerTensor { get; } = new("--per-tensor") { Description = "Integer weights: one weight scale per weight tensor." };

    public Option<bool> Symmetric { get; } = new("--symmetric") { Description = "Integer activations: symmetric (zero point 0); the default is asymmetric (int16 is always symmetric)." };

    public Option<string?> Method { get; } = new("--method") { Description = "How activation ranges are calibrated: minmax, percentile (the default for integers), entropy or mse; fixed point takes minmax (its default) or percentile." };

    public Option<double> Percentile { get; } = new("--percentile")
    {
        Description = "For --method percentile: the share of values the range keeps, in percent.",
        DefaultValueFactory = _ => new QuantizeSettings().Percentile,
    };

    public Option<string?> Scale { get; } = new("--scale") { Description = "Raw integer pixels are multiplied by this (e.g. 1/255); default from the model's metadata (neurite.pixel_scale)." };

    public Option<string?> Mean { get; } = new("--mean") { Description = "Subtracted after scaling, one value or one per channel (e.g. 0.485,0.456,0.406)." };

    public Option<string?> Std { get; } = new("--std") { Description = "Divided by after subtracting the mean, one value or one per channel." };

    public IEnumerable<Option> All => [Calibration, CalibrationCount, CalibrationBatch, Weights, Activations, Accumulator, RangeMargin, PerChannel, PerTensor, Symmetric, Method, Percentile, Scale, Mean, Std];

    /// <summary>The options given on this command line, by name (compile refuses them without --quantize).</summary>
    public IReadOnlyList<string> Given(ParseResult parsed) => All.Where(o => IsGiven(parsed, o)).Select(o => o.Name).ToList();

    private static bool IsGiven(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    public QuantizeSettings Settings(ParseResult parsed, double? accuracyBudget = null)
    {
        if (parsed.GetValue(PerChannel) && parsed.GetValue(PerTensor))
        {
            throw new NeuriteException("quantize.scheme", "--per-channel and --per-tensor contradict each other: give one");
        }
        var activations = parsed.GetValue(Activations) is string a ? NumberFormat.Parse(a, "activations") : NumberFormat.Int8;
        var settings = new QuantizeSettings
        {
            Activations = activations,
            PerChannel = !parsed.GetValue(PerTensor),
            SymmetricActivations = parsed.GetValue(Symmetric),
            Percentile = parsed.GetValue(Percentile),
            Batch = parsed.GetValue(CalibrationBatch),
            AccuracyBudget = accuracyBudget,
            Accumulator = parsed.GetValue(Accumulator) is string accumulator ? NumberFormat.ParseFixed(accumulator, "--accumulator").Precision : null,
            RangeMargin = parsed.GetValue(RangeMargin) ?? 1.0,
        };
        // Unset, the weights and the method follow the activations' scheme (QuantizeSettings says how).
        if (parsed.GetValue(Weights) is string w)
        {
            settings = settings with { Weights = NumberFormat.Parse(w, "weights") };
        }
        if (parsed.GetValue(Method) is string m)
        {
            settings = settings with { Method = QuantizeSettings.ParseMethod(m) };
        }
        if (settings.IsFixedPoint && parsed.GetValue(PerChannel))
        {
            throw QuantizeSettings.NoWeightScales("--per-channel");
        }
        if (!settings.IsFixedPoint && IsGiven(parsed, RangeMargin))
        {
            // 1 is the default, which QuantizeSettings cannot tell from no margin at all.
            throw QuantizeSettings.RangeMarginForIntegers();
        }
        if (IsGiven(parsed, Percentile) && settings.Method != Passes.Quantize.Calibration.CalibrationMethod.Percentile)
        {
            throw new NeuriteException("quantize.percentile", $"--percentile is for --method percentile, not {settings.Method.ToString().ToLowerInvariant()}");
        }
        int count = parsed.GetValue(CalibrationCount);
        if (count <= 0)
        {
            throw new NeuriteException("quantize.count", $"--calib-count {count}: the number of calibration samples must be positive");
        }
        settings.Validate();
        return settings;
    }

    public PixelPreprocessing? Preprocessing(ParseResult parsed) =>
        PixelPreprocessing.FromArguments(parsed.GetValue(Scale), parsed.GetValue(Mean), parsed.GetValue(Std));

    /// <summary>The calibration samples for <paramref name="model"/>: the files, their preprocessing, the first --calib-count of them.</summary>
    public SampleData CalibrationData(ParseResult parsed, Model model)
    {
        var paths = parsed.GetValue(Calibration) ?? [];
        if (paths.Length == 0)
        {
            throw new NeuriteException("quantize.calib", "no calibration data: give --calib FILE|FOLDER (.npy, .pb, IDX) with samples like the ones the model will see");
        }
        var all = SampleData.FromFiles(model, paths, Preprocessing(parsed), "--calib");
        int wanted = parsed.GetValue(CalibrationCount);
        var used = all.Take(wanted);
        if (used.Count < wanted && IsGiven(parsed, CalibrationCount))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: --calib-count {wanted:N0}, but the calibration data holds {all.Count:N0} samples: all are used"));
        }
        return used;
    }
}
