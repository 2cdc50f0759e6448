using System.Globalization;
using Neurite.Ir;

namespace Neurite;

/// <summary>
/// How raw integer pixels (uint8 images as IDX and NumPy files hold them) become a model's
/// input: value = (pixel · Scale − Mean[c]) / Std[c], c the channel (the first axis of a
/// sample, as NCHW models take them). A model can carry its own in its metadata properties
/// (<see cref="ScaleKey"/>, <see cref="MeanKey"/>, <see cref="StdKey"/>) so nobody has to
/// remember them; float data is always fed as it is.
/// </summary>
public sealed record PixelPreprocessing(double Scale, IReadOnlyList<double>? Mean = null, IReadOnlyList<double>? Std = null)
{
    public const string ScaleKey = "neurite.pixel_scale";
    public const string MeanKey = "neurite.mean";
    public const string StdKey = "neurite.std";

    /// <summary>From the command line's --scale, --mean and --std (each may be absent); null when none is given.</summary>
    public static PixelPreprocessing? FromArguments(string? scale, string? mean, string? std) =>
        scale is null && mean is null && std is null ? null : Create(scale, mean, std, "--scale", "--mean", "--std");

    /// <summary>What the model's metadata says, or null when it says nothing.</summary>
    public static PixelPreprocessing? FromMetadata(Model model)
    {
        string? Property(string key) => model.Metadata.Properties.FirstOrDefault(p => p.Key == key).Value;
        string? scale = Property(ScaleKey), mean = Property(MeanKey), std = Property(StdKey);
        return scale is null && mean is null && std is null ? null : Create(scale, mean, std, $"metadata '{ScaleKey}'", $"metadata '{MeanKey}'", $"metadata '{StdKey}'");
    }

    /// <summary>Checks the channel count against a sample's shape (channels first).</summary>
    public void CheckChannels(IReadOnlyList<int> sampleShape)
    {
        int channels = sampleShape.Count > 1 ? sampleShape[0] : 1;
        foreach (var (name, values) in new[] { ("mean", Mean), ("std", Std) })
        {
            if (values is { Count: > 1 } && values.Count != channels)
            {
                throw new NeuriteException("quantize.preprocessing",
                    $"{values.Count} {name} values for a model input of {channels} channel{(channels == 1 ? "" : "s")} (samples of [{string.Join(", ", sampleShape)}]): give one value or one per channel");
            }
        }
    }

    /// <summary>The preprocessed value of raw <paramref name="pixel"/> in <paramref name="channel"/>.</summary>
    public float Apply(double pixel, int channel)
    {
        double v = pixel * Scale;
        if (Mean is not null)
        {
            v -= Mean[Mean.Count == 1 ? 0 : channel];
        }
        if (Std is not null)
        {
            v /= Std[Std.Count == 1 ? 0 : channel];
        }
        return (float)v;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"scale {Scale:G6}{(Mean is null ? "" : $", mean {string.Join(",", Mean)}")}{(Std is null ? "" : $", std {string.Join(",", Std)}")}");

    private static PixelPreprocessing Create(string? scale, string? mean, string? std, string scaleName, string meanName, string stdName)
    {
        if ((mean is null) != (std is null))
        {
            throw new NeuriteException("quantize.preprocessing", $"{(mean is null ? stdName : meanName)} without {(mean is null ? meanName : stdName)}: normalisation takes both (mean 0 and std 1 leave values as they are)");
        }
        var stds = std is null ? null : Numbers(std, stdName);
        if (stds?.Any(s => s <= 0) == true)
        {
            throw new NeuriteException("quantize.preprocessing", $"{stdName} '{std}': standard deviations must be positive");
        }
        return new PixelPreprocessing(scale is null ? 1 : Number(scale, scaleName), mean is null ? null : Numbers(mean, meanName), stds);
    }

    /// <summary>A number, or a fraction such as 1/255 (the usual pixel scale, which has no short decimal form).</summary>
    private static double Number(string text, string name)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length is 1 or 2 && parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            double value = parts.Select(p => double.Parse(p, NumberStyles.Float, CultureInfo.InvariantCulture)).Aggregate((a, b) => a / b);
            if (double.IsFinite(value) && value != 0)
            {
                return value;
            }
        }
        throw new NeuriteException("quantize.preprocessing", $"{name} '{text}': expected a non-zero number such as 0.00392 or 1/255");
    }

    private static double[] Numbers(string text, string name)
    {
        var values = new List<double>();
        foreach (var part in text.Trim().Trim('[', ']').Split(','))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new NeuriteException("quantize.preprocessing", $"{name} '{text}': expected numbers separated by commas, such as 0.485,0.456,0.406");
            }
            values.Add(value);
        }
        return [.. values];
    }
}
