using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// neurite.QAdd of two tensors of the same shape, as the interpreter computes it: each input
/// centred on its zero point, widened by 2^headroom and brought to the common scale by its own
/// multiplier; the wrapped int32 sum requantised to the output. Products are formed in int64 and
/// wrapped to int32 where C# wraps, so even attribute values no quantiser writes give the same bits.
/// </summary>
public sealed class IntegerAddKernel(Node node, IReadOnlyList<string> inputs, string output, CScalar outputType, int length,
    (int ZeroPoint, int Headroom, int Mantissa, int Right) a, (int ZeroPoint, int Headroom, int Mantissa, int Right) b,
    Requantizer requantizer) : Kernel(node, inputs, output)
{
    public override string Kind => "qadd";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        // The second operand is x1, or x0 again when both inputs are one tensor.
        string second = Inputs.Count > 1 ? "x1" : "x0";
        c.For("i", length, () =>
        {
            c.Line($"const int32_t a = {Rescaled("x0[i]", a)};");
            c.Line($"const int32_t b = {Rescaled($"{second}[i]", b)};");
            c.Line($"y[i] = ({outputType.Name}){requantizer.Output($"{FixedPointC.Wrap}((int64_t)a + b)", "0")};");
        });
    }

    private static string Rescaled(string value, (int ZeroPoint, int Headroom, int Mantissa, int Right) p) =>
        $"{FixedPointC.Scale}({FixedPointC.Wrap}(((int64_t){value} - {CScalar.IntLiteral(p.ZeroPoint)}) * {CLiteral.Int(1L << p.Headroom)}), {CLiteral.Int(p.Mantissa)}, {CLiteral.Int(p.Right)})";
}
