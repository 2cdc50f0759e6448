using Neurite.Ir;

namespace Neurite;

/// <summary>
/// The number format a quantisation targets for weights or activations, as the command line and
/// the API name it ("int8", "int4", "int16"). Integer formats are what post-training
/// quantisation produces today; fixed point (<c>fixed&lt;16,6&gt;</c>) will be one more record
/// and one more branch of <see cref="Parse"/>, with its own pass behind it.
/// </summary>
public abstract record NumberFormat
{
    public static IntegerFormat Int4 { get; } = new(4);
    public static IntegerFormat Int8 { get; } = new(8);
    public static IntegerFormat Int16 { get; } = new(16);

    /// <summary>What weights can be quantised to.</summary>
    public static IReadOnlyList<NumberFormat> WeightFormats { get; } = [Int8, Int4];

    /// <summary>What activations can be quantised to.</summary>
    public static IReadOnlyList<NumberFormat> ActivationFormats { get; } = [Int8, Int16];

    /// <summary>Reads a format for <paramref name="role"/> ("weights" or "activations"); anything the role does not take is a diagnostic naming what it does.</summary>
    public static NumberFormat Parse(string text, string role)
    {
        var accepted = role == "weights" ? WeightFormats : ActivationFormats;
        NumberFormat? format = text.Trim().ToLowerInvariant() switch
        {
            "int4" => Int4,
            "int8" => Int8,
            "int16" => Int16,
            _ => null,
        };
        if (format is null || !accepted.Contains(format))
        {
            throw new NeuriteException("quantize.format", $"--{role} '{text}': {role} are quantised to {string.Join(" or ", accepted)}");
        }
        return format;
    }
}

/// <summary>Signed integers of <see cref="Bits"/> bits with a scale (and, for activations, a zero point).</summary>
public sealed record IntegerFormat(int Bits) : NumberFormat
{
    public override string ToString() => $"int{Bits}";
}
