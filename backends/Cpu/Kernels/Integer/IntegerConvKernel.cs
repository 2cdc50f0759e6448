using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// neurite.QConv (1-D and 2-D, any stride, dilation, padding and group count; average pools
/// arrive as depthwise QConvs of ones): per image and group, im2col into int32 scratch (row
/// (ci, kh, kw), column output pixel; the raw input value, or the input zero point where the
/// window is in the padding, which is the real value zero), an <see cref="IntegerMatrixProduct"/>
/// with the group's int8 weights into int32 accumulators, and the requantisation of each output
/// channel's row straight into NCHW.
/// <para>
/// The interpreter computes Σ (x - x_zero_point)·w + B; the product here is Σ x·w, with the zero
/// point folded into the bias at compile time (B' = B - x_zero_point·Σ w, see
/// <see cref="IntegerAccumulation"/>): equal in the integers, and so modulo 2^32 where C# wraps.
/// </para>
/// </summary>
public sealed class IntegerConvKernel(Node node, string input, string output, CScalar inputType, CScalar outputType,
    int batch, int inChannels, int outChannels, int groups, Window window, sbyte[] weights, int[]? bias, int xZeroPoint, Requantizer requantizer)
    : Kernel(node, [input], output)
{
    public override string Kind => "qconv";

    private int Taps => inChannels / groups * window.KernelArea;

    /// <summary>Output pixels rounded up to whole column blocks of the product.</summary>
    private int Columns => IntegerMatrixProduct.Padded(window.OutPixels);

    /// <summary>The accumulators of one group (Cout/g rows), then its im2col matrix (taps rows), both int32 and Columns wide.</summary>
    public override long ScratchBytes => ((long)outChannels / groups + Taps) * Columns * 4;

    public override CScalar ScratchType => CScalar.Int32;

    public override long Macs => (long)batch * outChannels * window.OutPixels * Taps;

    public override void EmitBody(CSource c, WeightTable table)
    {
        var g = window;
        int cinPerGroup = inChannels / groups, coutPerGroup = outChannels / groups, taps = Taps, columns = Columns, pixels = g.OutPixels;
        var folded = IntegerAccumulation.FoldedBias(weights, outChannels, taps, bias, xZeroPoint, inputType, out bool wraps);
        string w = table.Add("weight", weights);
        string b = table.Add("bias", folded);
        requantizer.Declare(table, "requant");
        string zero = CScalar.IntLiteral(xZeroPoint);
        c.Line("int32_t* restrict acc = s;");
        c.Line($"int32_t* restrict col = s + {(long)coutPerGroup * columns};");
        c.For("n", batch, () => c.For("g", groups, () =>
        {
            c.Line($"const {inputType.Name}* restrict xg = x0 + (n * {inChannels} + g * {cinPerGroup}) * {g.InPixels};");
            // Padding reads as the zero point, whose products the bias already cancels (zero point folded in).
            new Im2Col(g, "col", columns, "int32_t", inputType.Name, zero, "0").Emit(c, cinPerGroup, "xg");
            new IntegerMatrixProduct(coutPerGroup, taps, columns, $"({w} + g * {coutPerGroup * taps})", $"({b} + g * {coutPerGroup})", wraps).Emit(c);
            c.For("m", coutPerGroup, () => requantizer.EmitRow(c, pixels, $"(acc + m * {columns})",
                $"(y + (n * {outChannels} + g * {coutPerGroup} + m) * {pixels})", outputType, $"g * {coutPerGroup} + m"));
        }));
    }
}
