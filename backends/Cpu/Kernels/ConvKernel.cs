using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Conv (1-D and 2-D, any stride, dilation, padding and group count) as im2col into scratch and a
/// blocked product per image and group: Y[Cout/g, P] = W[Cout/g, Cin/g·KH·KW] · col[·, P], which
/// writes NCHW directly. The bias is added to the finished sum of taps, as ONNX defines Conv. A 1×1 stride-1 unpadded conv reads its input in place. Batch norms and
/// per-channel adds after the conv are folded into W and the bias; activations run in the store loop.
/// </summary>
public sealed class ConvKernel(Node node, string input, string output, int batch, int inChannels, int outChannels, int groups,
    Window window, float[] weights, float[] bias) : Kernel(node, [input], output)
{
    public override string Kind => "conv";

    /// <summary>[Cout, Cin/g, KH, KW] flattened: row co holds the Cin/g·KH·KW taps of output channel co.</summary>
    public float[] Weights { get; } = weights;

    public float[] Bias { get; } = bias;

    public int OutChannels => outChannels;

    public int OutPixels => window.OutPixels;

    public List<ElementOp> Epilogue { get; } = [];

    private int TapsPerOutput => inChannels / groups * window.KernelArea;

    public override long ScratchFloats => window.IsPointwise ? 0 : (long)TapsPerOutput * window.OutPixels;

    public override long Macs => (long)batch * outChannels * window.OutPixels * TapsPerOutput;

    /// <summary>Scales and shifts output channels (a folded BatchNormalization or per-channel affine): y' = y·scale + shift.</summary>
    public void FoldAffine(float[] scale, float[] shift)
    {
        int taps = TapsPerOutput;
        for (int co = 0; co < OutChannels; co++)
        {
            for (int t = 0; t < taps; t++)
            {
                Weights[co * taps + t] *= scale[co];
            }
            Bias[co] = Bias[co] * scale[co] + shift[co];
        }
    }

    public override void EmitBody(CSource c, WeightTable weights)
    {
        string w = weights.Add("weight", Weights);
        string b = weights.Add("bias", Bias);
        var g = window;
        int cinPerGroup = inChannels / groups, coutPerGroup = OutChannels / groups;
        int taps = TapsPerOutput, pixels = g.OutPixels;
        c.For("n", batch, () => c.For("g", groups, () =>
        {
            c.Line($"const float* restrict xg = x0 + (n * {inChannels} + g * {cinPerGroup}) * {g.InPixels};");
            c.Line($"float* restrict yg = y + (n * {OutChannels} + g * {coutPerGroup}) * {pixels};");
            string source = "xg";
            if (!g.IsPointwise)
            {
                EmitIm2Col(c, cinPerGroup);
                source = "s";
            }
            new MatrixProduct(coutPerGroup, pixels, taps, $"({w} + g * {coutPerGroup * taps})", taps, source, pixels, "yg",
                pixels, BiasKind.PerRow, $"({b} + g * {coutPerGroup})", Epilogue).Emit(c);
        }));
    }

    /// <summary>col[(ci·KH + kh)·KW + kw][oh·OW + ow] = x[ci][oh·SH − PT + kh·DH][ow·SW − PL + kw·DW], zero outside.</summary>
    private void EmitIm2Col(CSource c, int cinPerGroup)
    {
        var g = window;
        c.For("ci", cinPerGroup, () => c.For("kh", g.KH, () => c.For("kw", g.KW, () =>
        {
            c.Line($"float* restrict row = s + ((ci * {g.KH} + kh) * {g.KW} + kw) * {g.OutPixels};");
            c.Line($"const float* restrict plane = xg + ci * {g.InPixels};");
            c.For("oh", g.OutH, () =>
            {
                c.Line($"const int ih = oh * {g.StrideH} - {g.PadTop} + kh * {g.DilationH};");
                c.Line($"float* restrict out = row + oh * {g.OutW};");
                c.Block($"if (ih < 0 || ih >= {g.InH})", () => c.For("ow", g.OutW, () => c.Line("out[ow] = 0.0f;")));
                c.Block("else", () =>
                {
                    c.Line($"const float* restrict in = plane + ih * {g.InW};");
                    c.For("ow", g.OutW, () =>
                    {
                        c.Line($"const int iw = ow * {g.StrideW} - {g.PadLeft} + kw * {g.DilationW};");
                        c.Line($"out[ow] = (iw >= 0 && iw < {g.InW}) ? in[iw] : 0.0f;");
                    });
                });
            });
        })));
    }
}
