using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// neurite.QConv (1-D and 2-D, any stride, dilation, padding and group count; average pools
/// arrive as depthwise QConvs of ones): per image and group, im2row into scratch (one row of
/// Cin/g·KH·KW raw input values per output pixel, the input zero point where the window is in the
/// padding) and an <see cref="IntegerProduct"/> of every row with every output channel's weights,
/// requantised straight into NCHW.
/// </summary>
public sealed class IntegerConvKernel(Node node, string input, string output, CScalar inputType, CScalar outputType,
    int batch, int inChannels, int outChannels, int groups, Window window, sbyte[] weights, int[]? bias, int xZeroPoint, Requantizer requantizer)
    : Kernel(node, [input], output)
{
    public override string Kind => "qconv";

    private int Taps => inChannels / groups * window.KernelArea;

    public override long ScratchBytes => (long)window.OutPixels * Taps * inputType.Size;

    public override CScalar ScratchType => inputType;

    public override long Macs => (long)batch * outChannels * window.OutPixels * Taps;

    public override void EmitBody(CSource c, WeightTable table)
    {
        var g = window;
        int cinPerGroup = inChannels / groups, coutPerGroup = outChannels / groups, taps = Taps;
        var folded = IntegerAccumulation.FoldedBias(weights, outChannels, taps, bias, xZeroPoint, inputType, out bool wraps);
        string w = table.Add("weight", weights);
        string b = table.Add("bias", folded);
        requantizer.Declare(table, "requant");
        string zero = CScalar.IntLiteral(xZeroPoint);
        c.For("n", batch, () => c.For("g", groups, () =>
        {
            c.Line($"const {inputType.Name}* restrict xg = x0 + (n * {inChannels} + g * {cinPerGroup}) * {g.InPixels};");
            c.For("oh", g.OutH, () => c.For("ow", g.OutW, () =>
            {
                c.Line($"{inputType.Name}* restrict row = s + (oh * {g.OutW} + ow) * {taps};");
                c.For("ci", cinPerGroup, () => c.For("kh", g.KH, () =>
                {
                    c.Line($"const int ih = oh * {g.StrideH} - {g.PadTop} + kh * {g.DilationH};");
                    c.Line($"{inputType.Name}* restrict out = row + (ci * {g.KH} + kh) * {g.KW};");
                    c.Block($"if (ih < 0 || ih >= {g.InH})", () => c.For("kw", g.KW, () => c.Line($"out[kw] = {zero};")));
                    c.Block("else", () =>
                    {
                        c.Line($"const {inputType.Name}* restrict in = xg + (ci * {g.InH} + ih) * {g.InW};");
                        c.For("kw", g.KW, () =>
                        {
                            c.Line($"const int iw = ow * {g.StrideW} - {g.PadLeft} + kw * {g.DilationW};");
                            c.Line($"out[kw] = iw >= 0 && iw < {g.InW} ? in[iw] : {zero};");
                        });
                    });
                }));
            }));
            new IntegerProduct(g.OutPixels, coutPerGroup, taps, inputType, "s", $"({w} + g * {coutPerGroup * taps})", $"({b} + g * {coutPerGroup})",
                requantizer, $"g * {coutPerGroup}", wraps, outputType,
                (r, m) => $"(n * {outChannels} + g * {coutPerGroup} + {m}) * {g.OutPixels} + {r}").Emit(c);
        }));
    }
}
