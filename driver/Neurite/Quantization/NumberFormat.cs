using Neurite.Ir;
using Neurite.Passes.Quantize.FixedPoint;

namespace Neurite;

/// <summary>
/// The number format a quantisation targets for weights or activations, as the command line and
/// the API name it: integers ("int8", "int4", "int16"), which post-training quantisation turns
/// into scaled integer ops, or fixed point ("fixed&lt;16,6&gt;", "ufixed&lt;8,3,rnd,sat&gt;",
/// "fixed&lt;16,auto&gt;"), which fixed-point quantisation turns into hls4ml-style ap_fixed ops.
/// </summary>
public abstract record NumberFormat
{
    public static IntegerFormat Int4 { get; } = new(4);
    public static IntegerFormat Int8 { get; } = new(8);
    public static IntegerFormat Int16 { get; } = new(16);

    /// <summary>What weights can be quantised to among the integer formats.</summary>
    public static IReadOnlyList<NumberFormat> WeightFormats { get; } = [Int8, Int4];

    /// <summary>What activations can be quantised to among the integer formats.</summary>
    public static IReadOnlyList<NumberFormat> ActivationFormats { get; } = [Int8, Int16];

    /// <summary>A fixed-point format from the type syntax (<c>fixed&lt;W,I|auto[,rounding][,overflow]&gt;</c> or <c>ufixed&lt;...&gt;</c>).</summary>
    public static FixedPointFormat Fixed(string precision) => new(FixedPointPrecision.Parse(precision));

    /// <summary>
    /// Reads a format for <paramref name="role"/> ("weights" or "activations"); anything the role
    /// does not take, a malformed fixed-point precision, or one no type can have (fixed&lt;80,6&gt;)
    /// is a diagnostic naming the option.
    /// </summary>
    public static NumberFormat Parse(string text, string role)
    {
        string trimmed = text.Trim().ToLowerInvariant();
        if (trimmed.StartsWith("fixed", StringComparison.Ordinal) || trimmed.StartsWith("ufixed", StringComparison.Ordinal))
        {
            return ParseFixed(text, $"--{role}");
        }
        var accepted = role == "weights" ? WeightFormats : ActivationFormats;
        NumberFormat? format = trimmed switch
        {
            "int4" => Int4,
            "int8" => Int8,
            "int16" => Int16,
            _ => null,
        };
        if (format is null || !accepted.Contains(format))
        {
            throw new NeuriteException("quantize.format", $"--{role} '{text}': {role} are quantised to {string.Join(", ", accepted)} or fixed point, fixed<W,I> or fixed<W,auto> (e.g. 'fixed<16,6>')");
        }
        return format;
    }

    /// <summary>A fixed-point precision given to <paramref name="option"/>, checked: the option names every problem.</summary>
    public static FixedPointFormat ParseFixed(string text, string option)
    {
        FixedPointPrecision precision;
        try
        {
            precision = FixedPointPrecision.Parse(text);
        }
        catch (NeuriteException e)
        {
            throw new NeuriteException(e.Diagnostics[0] with { Message = $"{option} {e.Diagnostics[0].Message}" });
        }
        precision.Validate(option);
        return new FixedPointFormat(precision);
    }
}

/// <summary>Signed integers of <see cref="Bits"/> bits with a scale (and, for activations, a zero point).</summary>
public sealed record IntegerFormat(int Bits) : NumberFormat
{
    public override string ToString() => $"int{Bits}";
}

/// <summary>
/// Fixed point, ap_fixed&lt;W,I&gt;: W bits of which I are integer bits (sign included), a binary
/// point the type fixes, explicit rounding and overflow modes; auto integer bits are chosen per
/// tensor from its calibrated range (a weight's from its own largest magnitude).
/// </summary>
public sealed record FixedPointFormat(FixedPointPrecision Precision) : NumberFormat
{
    /// <summary>The precision in the type syntax with both modes spelled out, e.g. fixed&lt;16,6,trn,wrap&gt;.</summary>
    public override string ToString() => Precision.ToString();
}
