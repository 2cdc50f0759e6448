using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Conv (1-D and 2-D, any stride, dilation, padding and group count) as one blocked product per
/// image and group, Y[Cout/g, P] = W[Cout/g, Cin/g·KH·KW] · B[·, P], which writes NCHW directly.
/// B takes the form the reference interpreter gives it, so both sum alike:
/// <list type="bullet">
/// <item>a 1×1 stride-1 unpadded conv reads its input planes in place;</item>
/// <item>stride 1 (when the "wide" output below is at most about twice the real one): no column
/// matrix at all. The input is copied once into a zero-padded buffer and output (oh, ow) is
/// computed at column oh·Wp + ow of a wide output whose rows have the padded width Wp; there row
/// (ci, kh, kw) of B is the padded input shifted by the tap's offset, read in place
/// (<see cref="ProductOperand.Shifted"/>). Compacting the wide rows drops the columns that fall in
/// the padding and adds the bias to the finished sum, as the interpreter does;</item>
/// <item>otherwise (strided): im2col into scratch, the bias the sum's starting value.</item>
/// </list>
/// Batch norms and per-channel adds after the conv are folded into W and the bias; activations run
/// in the store (or compaction) loop.
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

    private int InPerGroup => inChannels / groups;

    private int OutPerGroup => OutChannels / groups;

    public override long ScratchFloats => window.IsPointwise ? 0 : Wide is { } wide ? wide.ScratchFloats(InPerGroup, OutPerGroup) : (long)TapsPerOutput * PaddedPixels;

    /// <summary>im2col rows are zero-padded to whole panels so the product's last panel is read whole.</summary>
    private int PaddedPixels => MatrixProduct.Padded(window.OutPixels);

    /// <summary>The wide-output layout when the conv takes the stride-1 form (the interpreter's rule); null otherwise.</summary>
    private WideLayout? Wide => !window.IsPointwise && window.StrideH == 1 && window.StrideW == 1 && new WideLayout(window) is var wide
        && wide.Columns <= 2L * window.OutPixels + 64 ? wide : null;

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
        int cinPerGroup = InPerGroup, coutPerGroup = OutPerGroup;
        int taps = TapsPerOutput, pixels = g.OutPixels;
        string groupWeights = $"({w} + g * {coutPerGroup * taps})", groupBias = $"({b} + g * {coutPerGroup})";
        var wide = Wide;
        if (wide is not null)
        {
            wide.EmitOffsets(c, cinPerGroup);
        }
        c.For("n", batch, () => c.For("g", groups, () =>
        {
            c.Line($"const float* restrict xg = x0 + (n * {inChannels} + g * {cinPerGroup}) * {g.InPixels};");
            c.Line($"float* restrict yg = y + (n * {OutChannels} + g * {coutPerGroup}) * {pixels};");
            if (g.IsPointwise)
            {
                new MatrixProduct(coutPerGroup, pixels, taps, groupWeights, taps, new ProductOperand.RowMajor("xg", pixels, Padded: false), "yg",
                    pixels, BiasKind.PerRow, groupBias, Epilogue).Emit(c);
                return;
            }
            if (wide is not null)
            {
                wide.EmitCopy(c, cinPerGroup, coutPerGroup);
                // Whole panels of every wide row are stored (the row has room), so the sums go straight there.
                new MatrixProduct(coutPerGroup, wide.RowStride, taps, groupWeights, taps, new ProductOperand.Shifted("padded", "offsets"), "wide",
                    wide.RowStride).Emit(c);
                wide.EmitCompaction(c, coutPerGroup, groupBias, Epilogue);
                return;
            }
            new Im2Col(window, "s", PaddedPixels, "float", "float", "0.0f", "0.0f").Emit(c, cinPerGroup, "xg");
            new MatrixProduct(coutPerGroup, pixels, taps, groupWeights, taps, new ProductOperand.RowMajor("s", PaddedPixels, Padded: true), "yg",
                pixels, BiasKind.PerRow, groupBias, Epilogue).Emit(c);
        }));
    }
}
