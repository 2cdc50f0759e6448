using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// The integer end of QConv, QGemm and QAdd as C: <c>clamp(y_zero_point + m ⊗ acc, min, max)</c>
/// with ⊗ the fixed-point product (<see cref="FixedPointC.Scale"/>), one multiplier per output
/// channel or one for all. Per-tensor multipliers are literals; per-channel ones are constant
/// arrays (mantissas as int32, right shifts as int8).
/// </summary>
public sealed class Requantizer
{
    private readonly int[] mantissas;
    private readonly int[] rights;
    private string? mantissaArray, rightArray;

    /// <param name="shifts">The multipliers' shifts in [-31, 30]: each applies mantissa · 2^(shift - 31).</param>
    public Requantizer(int[] mantissas, int[] shifts, int zeroPoint, int min, int max)
    {
        this.mantissas = mantissas;
        rights = shifts.Select(s => 31 - s).ToArray();
        ZeroPoint = zeroPoint;
        Min = min;
        Max = max;
    }

    public int ZeroPoint { get; }
    public int Min { get; }
    public int Max { get; }

    public bool PerChannel => mantissas.Length > 1;

    /// <summary>Adds the per-channel arrays to the weights (call once, in the kernel's body, before <see cref="Output"/>).</summary>
    public void Declare(WeightTable weights, string role)
    {
        if (PerChannel)
        {
            mantissaArray = weights.Add($"{role}_mantissa", mantissas);
            rightArray = weights.Add($"{role}_right", rights.Select(r => (sbyte)r).ToArray());
        }
    }

    /// <summary>The requantised value of the int32 <paramref name="accumulator"/> for output channel <paramref name="channel"/>, as an int32 C expression.</summary>
    public string Output(string accumulator, string channel)
    {
        string mantissa = PerChannel ? $"{mantissaArray}[{channel}]" : CLiteral.Int(mantissas[0]);
        string right = PerChannel ? $"{rightArray}[{channel}]" : CLiteral.Int(rights[0]);
        return Clamp($"{FixedPointC.Scale}({accumulator}, {mantissa}, {right})");
    }

    /// <summary>
    /// y[i] = requantise(acc[i]) for i in [0, count), all of output channel <paramref name="channel"/>
    /// when it is given (its multiplier is read once, before the loop), else of channel
    /// <paramref name="channelOf"/>(i). Branch-free, so gcc vectorises it.
    /// </summary>
    public void EmitRow(CSource c, int count, string accumulators, string outputs, CScalar output, string? channel, Func<string, string>? channelOf = null)
    {
        if (PerChannel && channel is not null)
        {
            c.Line($"const int32_t mantissa = {mantissaArray}[{channel}];");
            c.Line($"const int right = {rightArray}[{channel}];");
        }
        c.For("i", count, () =>
        {
            string value = $"{accumulators}[i]";
            string expression = !PerChannel ? Output(value, "0")
                : channel is not null ? Clamp($"{FixedPointC.Scale}({value}, mantissa, right)")
                : Output(value, channelOf!("i"));
            c.Line($"{outputs}[i] = ({output.Name}){expression};");
        });
    }

    private string Clamp(string scaled) =>
        $"neurite_clamp((int64_t){CScalar.IntLiteral(ZeroPoint)} + {scaled}, {CScalar.IntLiteral(Min)}, {CScalar.IntLiteral(Max)})";

    /// <summary>A QAdd [mantissa, shift] attribute as the mantissa and the right shift <see cref="FixedPointC.Scale"/> takes.</summary>
    public static (int Mantissa, int Right) Pair(IReadOnlyList<long> pair) => ((int)pair[0], 31 - (int)pair[1]);

    /// <summary>The requantisation of a QConv or QGemm node, checked as the interpreter checks it (IntegerLayerAttributes).</summary>
    public static Requantizer Of(Node node, int channels, CScalar output)
    {
        var m = node.Attribute("multipliers")?.AsInts() ?? throw new CpuUnsupportedException("the multipliers attribute is missing");
        var s = node.Attribute("shifts")?.AsInts() ?? throw new CpuUnsupportedException("the shifts attribute is missing");
        if (m.Length != s.Length || (m.Length != 1 && m.Length != channels))
        {
            throw new CpuUnsupportedException($"{m.Length} multipliers and {s.Length} shifts do not fit {channels} output channels");
        }
        if (m.Any(v => v is < 0 or > int.MaxValue) || s.Any(v => v is < -31 or > 30))
        {
            throw new CpuUnsupportedException("a multiplier is not a Q0.31 mantissa with a shift in [-31, 30]");
        }
        var (zero, min, max) = Range(node, output);
        return new Requantizer(m.Select(v => (int)v).ToArray(), s.Select(v => (int)v).ToArray(), zero, min, max);
    }

    /// <summary>The zero point and clamp of an integer layer, as <c>IntegerLayerAttributes.Range</c> reads them, checked against the output's C type.</summary>
    public static (int Zero, int Min, int Max) Range(Node node, CScalar output)
    {
        long bits = node.Attribute("output_bits")?.AsInt() ?? 8;
        bool signed = (node.Attribute("output_signed")?.AsInt() ?? 1) != 0;
        if (bits is < 2 or > 32 || (bits > 16 && !(bits == 32 && signed)))
        {
            throw new CpuUnsupportedException($"output_bits {bits} ({(signed ? "signed" : "unsigned")}) is not an output the interpreter defines");
        }
        long typeMin = signed ? -(1L << (int)(bits - 1)) : 0, typeMax = signed ? (1L << (int)(bits - 1)) - 1 : (1L << (int)bits) - 1;
        long zero = node.Attribute("y_zero_point")?.AsInt() ?? 0;
        long min = node.Attribute("output_min")?.AsInt() ?? typeMin, max = node.Attribute("output_max")?.AsInt() ?? typeMax;
        if (zero < typeMin || zero > typeMax || min < typeMin || max > typeMax || min > max)
        {
            throw new CpuUnsupportedException($"y_zero_point {zero} and the clamp [{min}, {max}] do not lie in the {bits}-bit range [{typeMin}, {typeMax}]");
        }
        if (min < output.Min || max > output.Max)
        {
            throw new CpuUnsupportedException($"the clamp [{min}, {max}] does not fit the output's storage {output.Name}");
        }
        return ((int)zero, (int)min, (int)max);
    }
}

/// <summary>Why a node cannot be emitted exactly; lowering turns it into a diagnostic on the node.</summary>
public sealed class CpuUnsupportedException(string message) : Exception(message);
