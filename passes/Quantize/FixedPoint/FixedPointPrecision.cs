using System.Globalization;
using System.Text.RegularExpressions;
using Neurite.Ir;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// A fixed-point precision as a user states it, hls4ml style: <c>fixed&lt;16,6&gt;</c>,
/// <c>ufixed&lt;8,3,rnd,sat&gt;</c>, or <c>fixed&lt;16,auto&gt;</c> where the integer bits are chosen
/// per tensor (from its calibrated range, a weight tensor from its own largest magnitude). Unlike
/// <see cref="FixedPointType"/> it may be invalid until <see cref="Validate"/>, so options built
/// from a command line or a file get a diagnostic instead of an exception from a constructor.
/// </summary>
/// <param name="IntegerBits">I, sign included when signed; null for auto.</param>
public sealed partial record FixedPointPrecision(
    int Width,
    int? IntegerBits,
    bool Signed = true,
    RoundingMode Rounding = RoundingMode.Truncate,
    OverflowMode Overflow = OverflowMode.Wrap)
{
    /// <summary>Fraction bits W - I beyond this (either way) mean a binary point 2^62 away from the integers: a typo, not a design.</summary>
    public const int MaxFractionBits = 62;

    public bool IsAuto => IntegerBits is null;

    /// <summary>Reads the type syntax, with <c>auto</c> allowed for the integer bits.</summary>
    public static FixedPointPrecision Parse(string text)
    {
        var match = Syntax().Match(text);
        if (!match.Success)
        {
            throw new NeuriteException("fixed.precision",
                $"'{text}' is not a fixed-point precision: expected fixed<W,I>, ufixed<W,I> or fixed<W,auto>, optionally with a rounding mode (trn, rnd, rnd_conv, trn_zero) and an overflow mode (wrap, sat, sat_sym), e.g. fixed<16,6,rnd,sat>");
        }
        bool signed = match.Groups["kind"].Value == "fixed";
        int width = int.Parse(match.Groups["width"].Value, CultureInfo.InvariantCulture);
        int? integerBits = match.Groups["integer"].Value == "auto" ? null : int.Parse(match.Groups["integer"].Value, CultureInfo.InvariantCulture);
        var rounding = RoundingMode.Truncate;
        var overflow = OverflowMode.Wrap;
        foreach (string mode in match.Groups["modes"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TypeSyntax.TryReadMode(mode, ref rounding, ref overflow))
            {
                throw new NeuriteException("fixed.precision", $"'{text}': expected {TypeSyntax.ModeExpectation}, found '{mode}'");
            }
        }
        return new FixedPointPrecision(width, integerBits, signed, rounding, overflow);
    }

    /// <summary>Throws a <see cref="NeuriteException"/> naming <paramref name="what"/> when no fixed-point type can have this precision.</summary>
    public void Validate(string what)
    {
        if (Width is < 1 or > 64)
        {
            throw new NeuriteException("fixed.precision", $"{what} {this}: the width W must be 1 to 64 bits, not {Width}");
        }
        if (IntegerBits is int i)
        {
            CheckIntegerBits(what, i);
        }
    }

    /// <summary>The type with these bits and modes; <paramref name="integerBits"/> decides an auto precision's I.</summary>
    public FixedPointType Type(int? integerBits = null)
    {
        int i = IntegerBits ?? integerBits ?? throw new InvalidOperationException($"{this} needs its integer bits chosen");
        CheckIntegerBits("the precision", i);
        return new FixedPointType(Width, i, Signed, Rounding, Overflow);
    }

    /// <summary>The precision in the type syntax with both modes spelled out (the hardware defaults too), e.g. fixed&lt;16,6,trn,wrap&gt;.</summary>
    public override string ToString() => Describe(Signed, Width, IntegerBits?.ToString(CultureInfo.InvariantCulture) ?? "auto", Rounding, Overflow);

    /// <summary>A type in the type syntax with both modes spelled out (TypeSyntax leaves trn,wrap implicit).</summary>
    public static string Describe(FixedPointType type) =>
        Describe(type.Signed, type.Width, type.IntegerBits.ToString(CultureInfo.InvariantCulture), type.Rounding, type.Overflow);

    private static string Describe(bool signed, int width, string integerBits, RoundingMode rounding, OverflowMode overflow) =>
        $"{(signed ? "fixed" : "ufixed")}<{width},{integerBits},{TypeSyntax.Name(rounding)},{TypeSyntax.Name(overflow)}>";

    private void CheckIntegerBits(string what, int integerBits)
    {
        int fraction = Width - integerBits;
        if (Math.Abs(fraction) > MaxFractionBits)
        {
            throw new NeuriteException("fixed.precision",
                $"{what} {Describe(Signed, Width, integerBits.ToString(CultureInfo.InvariantCulture), Rounding, Overflow)}: {integerBits} integer bits leave {fraction} fraction bits; the integer bits must lie between W-{MaxFractionBits} and W+{MaxFractionBits} ({Width - MaxFractionBits} to {Width + MaxFractionBits})");
        }
    }

    [GeneratedRegex(@"^\s*(?<kind>u?fixed)\s*<\s*(?<width>-?\d{1,9})\s*,\s*(?<integer>auto|-?\d{1,9})\s*(?<modes>(,\s*[a-z_]+\s*)*)>\s*$")]
    private static partial Regex Syntax();
}
