using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// MaxPool on integers (1-D and 2-D): the largest value the window reads inside the input; the
/// padding is never a candidate, and a window entirely in the padding gives 0, as the
/// interpreter's pooling does. Maximum commutes with the monotone dequantisation, so it runs on the raw integers.
/// </summary>
public sealed class IntegerMaxPoolKernel(Node node, string input, string output, CScalar type, int planes, Window window) : Kernel(node, [input], output)
{
    public override string Kind => "qmaxpool";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        var g = window;
        c.For("p", planes, () =>
        {
            c.Line($"const {type.Name}* restrict in = x0 + p * {g.InPixels};");
            c.Line($"{type.Name}* restrict out = y + p * {g.OutPixels};");
            c.For("oh", g.OutH, () => c.For("ow", g.OutW, () =>
            {
                c.Line($"{type.Name} v = 0;");
                c.Line("int found = 0;");
                c.For("kh", g.KH, () =>
                {
                    c.Line($"const int h = oh * {g.StrideH} - {g.PadTop} + kh * {g.DilationH};");
                    c.Block($"if (h < 0 || h >= {g.InH})", () => c.Line("continue;"));
                    c.For("kw", g.KW, () =>
                    {
                        c.Line($"const int w = ow * {g.StrideW} - {g.PadLeft} + kw * {g.DilationW};");
                        c.Block($"if (w < 0 || w >= {g.InW})", () => c.Line("continue;"));
                        c.Line($"const {type.Name} value = in[h * {g.InW} + w];");
                        c.Block("if (!found || value > v)", () => c.Line("v = value;").Line("found = 1;"));
                    });
                });
                c.Line($"out[oh * {g.OutW} + ow] = v;");
            }));
        });
    }
}

/// <summary>Clip on integers with constant bounds: the maximum with the lower bound, then the minimum with the upper one (so a lower bound above the upper gives the upper, as the interpreter's Clip).</summary>
public sealed class IntegerClipKernel(Node node, string input, string output, CScalar type, int length, long? low, long? high) : Kernel(node, [input], output)
{
    public override string Kind => "qclip";

    public override void EmitBody(CSource c, WeightTable weights) => c.For("i", length, () =>
    {
        c.Line($"{type.Name} v = x0[i];");
        if (low is long lo)
        {
            c.Line($"v = v < {CScalar.IntLiteral(lo)} ? ({type.Name}){CScalar.IntLiteral(lo)} : v;");
        }
        if (high is long hi)
        {
            c.Line($"v = v > {CScalar.IntLiteral(hi)} ? ({type.Name}){CScalar.IntLiteral(hi)} : v;");
        }
        c.Line("y[i] = v;");
    });
}
