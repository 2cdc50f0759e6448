using Neurite.Ir;

namespace Neurite.Backends.Cpu;

public enum PoolKind
{
    Max,
    Average,
}

/// <summary>
/// MaxPool, AveragePool and their global forms over one or two spatial axes. Window bounds follow
/// ONNX Runtime's rule: a window may run into the padding (and past it with ceil_mode); the
/// average divides by the padded extent with count_include_pad, else by the pixels it read.
/// </summary>
public sealed class PoolKernel(Node node, string input, string output, PoolKind kind, int planes, Window window, bool countIncludePad) : Kernel(node, [input], output)
{
    public override string Kind => kind == PoolKind.Max ? "maxpool" : "avgpool";

    public List<ElementOp> Epilogue { get; } = [];

    /// <summary>2×2 windows at stride 2 wholly inside the input: the interpreter's vectorised case.</summary>
    private bool IsPairwise => window is { KH: 2, KW: 2, StrideH: 2, StrideW: 2, DilationH: 1, DilationW: 1, PadTop: 0, PadLeft: 0 }
        && window.OutH * 2 <= window.InH && window.OutW * 2 <= window.InW;

    public override void EmitBody(CSource c, WeightTable weights)
    {
        var g = window;
        if (IsPairwise)
        {
            EmitPairwise(c);
            return;
        }
        c.For("p", planes, () =>
        {
            c.Line($"const float* restrict in = x0 + p * {g.InPixels};");
            c.Line($"float* restrict out = y + p * {g.OutPixels};");
            c.For("oh", g.OutH, () =>
            {
                c.Line($"const int h0 = oh * {g.StrideH} - {g.PadTop};");
                c.Line($"const int h1 = h0 + {(g.KH - 1) * g.DilationH + 1} < {g.InH + g.PadBottom} ? h0 + {(g.KH - 1) * g.DilationH + 1} : {g.InH + g.PadBottom};");
                c.For("ow", g.OutW, () =>
                {
                    c.Line($"const int w0 = ow * {g.StrideW} - {g.PadLeft};");
                    c.Line($"const int w1 = w0 + {(g.KW - 1) * g.DilationW + 1} < {g.InW + g.PadRight} ? w0 + {(g.KW - 1) * g.DilationW + 1} : {g.InW + g.PadRight};");
                    c.Line(kind == PoolKind.Max ? "float v = -INFINITY;" : "float v = 0.0f;");
                    c.Line("int count = 0;");
                    c.Block($"for (int h = h0; h < h1; h += {g.DilationH})", () =>
                    {
                        c.Block($"if (h < 0 || h >= {g.InH})", () => c.Line("continue;"));
                        c.Block($"for (int w = w0; w < w1; w += {g.DilationW})", () =>
                        {
                            c.Block($"if (w < 0 || w >= {g.InW})", () => c.Line("continue;"));
                            c.Line($"const float value = in[h * {g.InW} + w];");
                            c.Line(kind == PoolKind.Max ? "v = value > v ? value : v;" : "v += value;");
                            c.Line("++count;");
                        });
                    });
                    if (kind == PoolKind.Average)
                    {
                        c.Line(countIncludePad
                            ? $"v /= (float)(((h1 - h0 + {g.DilationH - 1}) / {g.DilationH}) * ((w1 - w0 + {g.DilationW - 1}) / {g.DilationW}));"
                            : "v /= (float)count;");
                    }
                    else
                    {
                        c.Line("(void)count;");
                    }
                    foreach (var op in Epilogue)
                    {
                        c.Line(op.Statement("v"));
                    }
                    c.Line($"out[oh * {g.OutW} + ow] = v;");
                });
            });
        });
    }

    /// <summary>
    /// The 2×2 stride-2 window as the interpreter computes it (Pooling2x2): the two rows first, then
    /// the two columns, the average as that sum times 0.25 (exactly a division by 4). No bounds
    /// tests, so the column loop vectorises.
    /// </summary>
    private void EmitPairwise(CSource c)
    {
        var g = window;
        string Combine(string a, string b) => kind == PoolKind.Max ? $"({a} > {b} ? {a} : {b})" : $"({a} + {b})";
        c.For("p", planes, () => c.For("oh", g.OutH, () =>
        {
            c.Line($"const float* restrict top = x0 + p * {g.InPixels} + oh * {2 * g.InW};");
            c.Line($"const float* restrict bottom = top + {g.InW};");
            c.Line($"float* restrict out = y + p * {g.OutPixels} + oh * {g.OutW};");
            c.For("ow", g.OutW, () =>
            {
                c.Line($"const float left = {Combine("top[2 * ow]", "bottom[2 * ow]")};");
                c.Line($"const float right = {Combine("top[2 * ow + 1]", "bottom[2 * ow + 1]")};");
                c.Line($"float v = {Combine("left", "right")}{(kind == PoolKind.Average ? " * 0.25f" : "")};");
                foreach (var op in Epilogue)
                {
                    c.Line(op.Statement("v"));
                }
                c.Line("out[ow] = v;");
            });
        }));
    }
}
