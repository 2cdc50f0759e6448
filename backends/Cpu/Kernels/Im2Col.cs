namespace Neurite.Backends.Cpu;

/// <summary>
/// The im2col copy the float and integer convolutions share, for one group of input channels:
/// <c>col[(ci·KH + kh)·KW + kw][oh·OW + ow] = x[ci][oh·SH − PT + kh·DH][ow·SW − PL + kw·DW]</c>,
/// the fill value outside the input. For each kw the columns ow whose input lies inside the row
/// are a range known before the loop, emitted as literals, so a row is fill, a strided (for
/// stride 1: contiguous) copy, fill, with no test per element; constant-length copies inline and
/// vectorise instead of becoming calls to memmove.
/// </summary>
/// <param name="Columns">The C name of the column buffer.</param>
/// <param name="RowStride">Columns per row in the buffer; columns past the output's pixels are set to <see cref="TailFill"/> (whole vector panels).</param>
/// <param name="RowType">The C element type of the column buffer (float, int32_t).</param>
/// <param name="InputType">The C element type of the input (float, int8_t, ...).</param>
/// <param name="Fill">The value of positions in the padding: 0 for floats, the input zero point for integers.</param>
/// <param name="TailFill">The value of the columns past the output's pixels, which no output reads.</param>
internal sealed record Im2Col(Window Window, string Columns, int RowStride, string RowType, string InputType, string Fill, string TailFill)
{
    /// <param name="input">A C expression for the group's first input channel.</param>
    public void Emit(CSource c, int channels, string input)
    {
        var g = Window;
        for (int kw = 0; kw < g.KW; kw++)
        {
            int shift = kw * g.DilationW - g.PadLeft;
            int lo = Math.Clamp(CeilDiv(-shift, g.StrideW), 0, g.OutW);
            int hi = Math.Clamp(CeilDiv(g.InW - shift, g.StrideW), lo, g.OutW);
            int column = kw;
            c.Block("", () => c.For("ci", channels, () => c.For("kh", g.KH, () =>
            {
                c.Line($"{RowType}* restrict row = {Columns} + ((ci * {g.KH} + kh) * {g.KW} + {column}) * {RowStride};");
                if (RowStride > g.OutPixels)
                {
                    c.For("p", RowStride, () => c.Line($"row[p] = {TailFill};"), start: g.OutPixels);
                }
                c.For("oh", g.OutH, () =>
                {
                    c.Line($"const int ih = oh * {g.StrideH} - {g.PadTop} + kh * {g.DilationH};");
                    c.Line($"{RowType}* restrict out = row + oh * {g.OutW};");
                    c.Block($"if (ih < 0 || ih >= {g.InH})", () => c.For("ow", g.OutW, () => c.Line($"out[ow] = {Fill};")));
                    c.Block("else", () =>
                    {
                        c.Line($"const {InputType}* restrict in = {input} + (ci * {g.InH} + ih) * {g.InW} + ({shift});");
                        if (lo > 0)
                        {
                            c.For("ow", lo, () => c.Line($"out[ow] = {Fill};"));
                        }
                        if (hi > lo)
                        {
                            c.For("ow", hi, () => c.Line($"out[ow] = in[ow{(g.StrideW == 1 ? "" : $" * {g.StrideW}")}];"), start: lo);
                        }
                        if (g.OutW > hi)
                        {
                            c.For("ow", g.OutW, () => c.Line($"out[ow] = {Fill};"), start: hi);
                        }
                    });
                });
            })));
        }
    }

    /// <summary>⌈a / b⌉ for b &gt; 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
