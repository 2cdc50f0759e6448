using System.Globalization;

namespace Neurite.Backends.Cpu;

/// <summary>
/// The buffers of a stride-1 convolution computed without a column matrix (the interpreter's
/// "shifted" form): the input of one image and group copied into a zero-padded buffer, planes of
/// Hp × Wp, and a wide output of Cout/g rows whose column oh·Wp + ow is output (oh, ow). Row
/// (ci, kh, kw) of the product's B is the padded buffer from offset ci·Hp·Wp + kh·DH·Wp + kw·DW,
/// so the taps are read in place; the columns with ow ≥ OW are computed and dropped.
/// Scratch: the wide output, then the padded input (kept readable a whole panel past the last tap).
/// </summary>
public sealed class WideLayout(Window window)
{
    private int PaddedHeight => window.InH + window.PadTop + window.PadBottom;

    private int PaddedWidth => window.InW + window.PadLeft + window.PadRight;

    private int PaddedPlane => PaddedHeight * PaddedWidth;

    /// <summary>Wide-output columns up to the last real output.</summary>
    public int Columns => (window.OutH - 1) * PaddedWidth + window.OutW;

    /// <summary>Floats per wide-output row: whole panels, so every panel is stored whole.</summary>
    public int RowStride => MatrixProduct.Padded(Columns);

    private bool HasPadding => window.PadTop + window.PadBottom + window.PadLeft + window.PadRight > 0;

    private int Offset(int ci, int kh, int kw) => ci * PaddedPlane + kh * window.DilationH * PaddedWidth + kw * window.DilationW;

    private int SourceFloats(int inChannels) =>
        Math.Max(inChannels * PaddedPlane, Offset(inChannels - 1, window.KH - 1, window.KW - 1) + RowStride);

    public long ScratchFloats(int inChannels, int outChannels) => (long)outChannels * RowStride + SourceFloats(inChannels);

    /// <summary>The table of tap offsets into the padded input, one per row of B, as a static array <c>offsets</c>.</summary>
    public void EmitOffsets(CSource c, int inChannels)
    {
        var offsets = new List<string>();
        for (int ci = 0; ci < inChannels; ci++)
        {
            for (int kh = 0; kh < window.KH; kh++)
            {
                for (int kw = 0; kw < window.KW; kw++)
                {
                    offsets.Add(Offset(ci, kh, kw).ToString(CultureInfo.InvariantCulture));
                }
            }
        }
        c.Line($"static const int offsets[{offsets.Count}] = {{");
        for (int i = 0; i < offsets.Count; i += 16)
        {
            c.Line("    " + string.Join(", ", offsets.Skip(i).Take(16)) + ",");
        }
        c.Line("};");
    }

    /// <summary>Declares <c>wide</c> and <c>padded</c> in the scratch and copies the input planes of the group <c>xg</c> into <c>padded</c>.</summary>
    public void EmitCopy(CSource c, int inChannels, int outChannels)
    {
        var g = window;
        int source = SourceFloats(inChannels);
        c.Line("float* restrict wide = s;");
        c.Line($"float* restrict padded = s + {(long)outChannels * RowStride};");
        // Without padding the copy covers every plane and only the slack past them needs zeros.
        int zeroFrom = HasPadding ? 0 : inChannels * PaddedPlane;
        if (source > zeroFrom)
        {
            c.For("p", source, () => c.Line("padded[p] = 0.0f;"), start: zeroFrom);
        }
        c.For("ci", inChannels, () => c.For("ih", g.InH, () =>
        {
            c.Line($"const float* restrict from = xg + ci * {g.InPixels} + ih * {g.InW};");
            c.Line($"float* restrict to = padded + ci * {PaddedPlane} + (ih + {g.PadTop}) * {PaddedWidth} + {g.PadLeft};");
            c.For("iw", g.InW, () => c.Line("to[iw] = from[iw];"));
        }));
    }

    /// <summary>Real outputs from the wide rows into <c>yg</c>: the sum, then the bias (the interpreter's order), then the epilogue.</summary>
    public void EmitCompaction(CSource c, int outChannels, string bias, IReadOnlyList<ElementOp> epilogue)
    {
        var g = window;
        c.For("co", outChannels, () => c.For("oh", g.OutH, () =>
        {
            c.Line($"const float* restrict from = wide + co * {RowStride} + oh * {PaddedWidth};");
            c.Line($"float* restrict to = yg + co * {g.OutPixels} + oh * {g.OutW};");
            c.For("ow", g.OutW, () =>
            {
                c.Line($"float v = from[ow] + {bias}[co];");
                foreach (var op in epilogue)
                {
                    c.Line(op.Statement("v"));
                }
                c.Line("to[ow] = v;");
            });
        }));
    }
}
