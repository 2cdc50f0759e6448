using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// QuantizeLinear (per tensor, float32 in): exactly the interpreter's steps, in float32 as it
/// computes them: the quotient x / scale (a true IEEE division, never a product with 1/scale),
/// rounded half to even (nearbyintf in the default rounding mode), the zero point added, clamped
/// to the type's range, converted. A NaN stays NaN through the clamp and converts to 0, as .NET's
/// saturating float-to-int conversion gives.
/// </summary>
public sealed class QuantizeKernel(Node node, string input, string output, CScalar outputType, int length, float scale, int zeroPoint)
    : Kernel(node, [input], output)
{
    public override string Kind => "quantize";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        string lo = CLiteral.Float(outputType.Min), hi = CLiteral.Float(outputType.Max);
        c.For("i", length, () =>
        {
            c.Line($"float v = nearbyintf(x0[i] / {CLiteral.Float(scale)}) + {CLiteral.Float(zeroPoint)};");
            c.Line($"v = v < {lo} ? {lo} : v;");
            c.Line($"v = v > {hi} ? {hi} : v;");
            c.Line($"y[i] = ({outputType.Name})(v == v ? (int32_t)v : 0);");
        });
    }
}

/// <summary>
/// DequantizeLinear (per tensor, to float32): (float)(x) - (float)zero_point, times the scale, in
/// that order and in float32, as the interpreter computes it (no product to contract into an FMA).
/// </summary>
public sealed class DequantizeKernel(Node node, string input, string output, int length, float scale, int? zeroPoint)
    : Kernel(node, [input], output)
{
    public override string Kind => "dequantize";

    public override void EmitBody(CSource c, WeightTable weights) => c.For("i", length, () =>
        c.Line(zeroPoint is int zero
            ? $"y[i] = ((float)x0[i] - {CLiteral.Float(zero)}) * {CLiteral.Float(scale)};"
            : $"y[i] = (float)x0[i] * {CLiteral.Float(scale)};"));
}
