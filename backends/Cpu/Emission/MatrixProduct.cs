using System.Globalization;

namespace Neurite.Backends.Cpu;

public enum BiasKind
{
    None,
    PerRow,
    PerColumn,
}

/// <summary>
/// C[M,N] = bias (per row or per column) + A[M,K] · B[K,N], then an epilogue of element ops, as
/// register-blocked C. A block of rows × panels (16 columns each) keeps its sums in registers
/// across the depth and is stored once; column blocks are the outer loop, so a block of B stays
/// in cache while every row block passes over it. Every trip count is a literal.
///
/// Every element is computed exactly as the reference interpreter's Sgemm computes it, so the two
/// agree to the last bit wherever both fuse their multiply-adds:
/// <list type="bullet">
/// <item>the depth runs in blocks of <see cref="DepthBlock"/>; each block's sum starts from zero
/// and is added to a total that starts at the bias (or at zero, the bias then added last);</item>
/// <item>rows go in groups of 6, then one of 4, 2 and 1 for what is left; within a block a row of
/// a 6- or 4-group sums k in order, a row of the 2-group keeps even and odd k apart and adds the
/// two, the lone row keeps four sums (k mod 4) and adds them pairwise (the interpreter's
/// micro-kernels, whose extra sums hide the multiply-add latency of short blocks);</item>
/// <item>a k past the last multiple of the group's step goes to the first sum.</item>
/// </list>
/// The blocks are written once per instruction set (<see cref="PanelIsa"/>): 4 panels of 16-float
/// AVX-512 vectors, one panel of two 8-float vectors, or plain loops.
/// </summary>
public sealed record MatrixProduct(
    int M, int N, int K,
    string A, int Lda,
    ProductOperand B,
    string C, int Ldc,
    BiasKind Bias = BiasKind.None, string? BiasArray = null,
    IReadOnlyList<ElementOp>? Epilogue = null,
    bool BiasLast = false)
{
    /// <summary>Depth of one partial sum (the interpreter's Sgemm depth block).</summary>
    public const int DepthBlock = 256;

    /// <summary>N rounded up to whole panels: the row length of a B or C that is read or written a panel at a time.</summary>
    public static int Padded(int n) => (n + PanelIsa.Width - 1) / PanelIsa.Width * PanelIsa.Width;

    /// <summary>Rows and partial sums per row of one interpreter micro-kernel, and how many such blocks follow each other.</summary>
    private sealed record RowGroup(int First, int Rows, int Blocks, int Chains);

    /// <summary>The interpreter's split of M rows: blocks of 6, then 4, 2 and 1 (straight, straight, even/odd, mod-4 sums).</summary>
    private IEnumerable<RowGroup> RowGroups()
    {
        int six = M / 6, left = M - six * 6, first = six * 6;
        if (six > 0)
        {
            yield return new RowGroup(0, 6, six, 1);
        }
        if (left >= 4)
        {
            yield return new RowGroup(first, 4, 1, 1);
            first += 4;
            left -= 4;
        }
        if (left >= 2)
        {
            yield return new RowGroup(first, 2, 1, 2);
            first += 2;
            left -= 2;
        }
        if (left == 1)
        {
            yield return new RowGroup(first, 1, 1, 4);
        }
    }

    public void Emit(CSource c)
    {
        if (M == 0 || N == 0)
        {
            return;
        }
        for (int i = 0; i < PanelIsa.All.Count; i++)
        {
            var isa = PanelIsa.All[i];
            c.Line(i == 0 ? $"#if {isa.Guard}" : i < PanelIsa.All.Count - 1 ? $"#elif {isa.Guard}" : "#else");
            EmitWith(c, isa, isa.PanelsPerBlock);
        }
        c.Line("#endif");
    }

    private void EmitWith(CSource c, PanelIsa isa, int panelsPerBlock)
    {
        int width = PanelIsa.Width, blockColumns = width * panelsPerBlock;
        int vectorPanels = B.WholePanels ? (N + width - 1) / width : N / width;
        int tail = B.WholePanels ? 0 : N % width;
        // Blocks wholly inside the stored columns loop; the rest are written out one by one.
        int looped = N / blockColumns;
        if (looped > 0)
        {
            c.For("n0", (long)looped * blockColumns, () => Rows(c, isa, panelsPerBlock, blockColumns), blockColumns);
        }
        for (int panel = looped * panelsPerBlock; panel < vectorPanels; panel += panelsPerBlock)
        {
            int panels = Math.Min(panelsPerBlock, vectorPanels - panel), start = panel * width;
            c.Block("", () =>
            {
                c.Line($"const int n0 = {Text(start)};");
                Rows(c, isa, panels, Math.Min(panels * width, N - start));
            });
        }
        if (tail > 0)
        {
            c.Block("", () =>
            {
                c.Line($"const int n0 = {Text(vectorPanels * width)};");
                Rows(c, PanelIsa.ScalarOf(tail), 1, tail);
            });
        }
    }

    private void Rows(CSource c, PanelIsa isa, int panels, int stored)
    {
        foreach (var group in RowGroups())
        {
            if (group.Blocks > 1)
            {
                c.For("m0", group.First + (long)group.Blocks * group.Rows, () => Block(c, isa, group, panels, stored), group.Rows, group.First);
            }
            else
            {
                c.Block("", () =>
                {
                    c.Line($"const int m0 = {Text(group.First)};");
                    Block(c, isa, group, panels, stored);
                });
            }
        }
    }

    /// <summary>One register block: group.Rows rows from m0 × <paramref name="panels"/> panels from n0, the first <paramref name="stored"/> columns stored.</summary>
    private void Block(CSource c, PanelIsa isa, RowGroup group, int panels, int stored)
    {
        int rows = group.Rows, columns = panels * isa.Columns;
        c.Line($"float tile[{Text(rows)}][{Text(columns)}];");
        if (K <= DepthBlock)
        {
            var sum = Partial(c, isa, group, panels, "0", Text(K));
            ForEachSum(rows, panels, (i, v) => isa.Store(c, $"&tile[{i}][{Text(v * isa.Columns)}]", sum(i, v)));
            StoreTile(c, rows, stored, Bias == BiasKind.None ? "tile[i][j]" : $"{BiasTerm} + tile[i][j]");
            return;
        }
        // The total starts at the bias (the interpreter fills C with it), each depth block's sum is added to it.
        bool biasFirst = Bias != BiasKind.None && !BiasLast;
        c.For("i", rows, () =>
        {
            c.For("j", stored, () => c.Line($"tile[i][j] = {(biasFirst ? BiasTerm : "0.0f")};"));
            if (columns > stored)
            {
                c.For("j", columns, () => c.Line("tile[i][j] = 0.0f;"), start: stored);
            }
        });
        c.Block($"for (int k0 = 0; k0 < {Text(K)}; k0 += {Text(DepthBlock)})", () =>
        {
            c.Line($"const int kc = {Text(K)} - k0 < {Text(DepthBlock)} ? {Text(K)} - k0 : {Text(DepthBlock)};");
            var sum = Partial(c, isa, group, panels, "k0", "kc");
            ForEachSum(rows, panels, (i, v) => isa.AddTo(c, $"&tile[{i}][{Text(v * isa.Columns)}]", sum(i, v)));
        });
        StoreTile(c, rows, stored, Bias != BiasKind.None && BiasLast ? $"tile[i][j] + {BiasTerm}" : "tile[i][j]");
    }

    private static void ForEachSum(int rows, int panels, Action<int, int> body)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int v = 0; v < panels; v++)
            {
                body(i, v);
            }
        }
    }

    private void StoreTile(CSource c, int rows, int stored, string sum) => c.For("i", rows, () => c.For("j", stored, () =>
    {
        c.Line($"float v = {sum};");
        foreach (var op in Epilogue ?? [])
        {
            c.Line(op.Statement("v"));
        }
        c.Line($"{C}[(m0 + i) * {Text(Ldc)} + n0 + j] = v;");
    }));

    /// <summary>
    /// The sums of one depth block, k from <paramref name="first"/> for <paramref name="count"/>
    /// steps: group.Chains sums per element (sum q takes the k ≡ q of each step, the k left after
    /// the last whole step go to sum 0), added as the interpreter adds them. Returns the name of
    /// the panel value that holds the block's sum for row i, panel v.
    /// </summary>
    private Func<int, int, string> Partial(CSource c, PanelIsa isa, RowGroup group, int panels, string first, string count)
    {
        int rows = group.Rows, chains = group.Chains;
        string Sum(int i, int v, int q) => $"s{i}_{v}_{q}";
        for (int q = 0; q < chains; q++)
        {
            ForEachSum(rows, panels, (i, v) => isa.Zero(c, Sum(i, v, q)));
        }
        void Step(int q, string k)
        {
            for (int v = 0; v < panels; v++)
            {
                isa.Load(c, $"b{v}_{q}", v == 0 ? $"{B.Row(k, "n0")}" : $"{B.Row(k, "n0")} + {Text(v * B.PanelStride)}");
            }
            for (int i = 0; i < rows; i++)
            {
                c.Line($"const float a{i}_{q} = {A}[(m0 + {i}) * {Text(Lda)} + {k}];");
                for (int v = 0; v < panels; v++)
                {
                    isa.MultiplyAdd(c, Sum(i, v, q), $"a{i}_{q}", $"b{v}_{q}");
                }
            }
        }
        if (chains == 1)
        {
            c.Block($"for (int kk = 0; kk < {count}; ++kk)", () => Step(0, $"{first} + kk"));
            return (i, v) => Sum(i, v, 0);
        }
        void Steps(string kk)
        {
            for (int q = 0; q < chains; q++)
            {
                Step(q, $"{first} + {kk} + {q}");
            }
        }
        if (int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int steps))
        {
            // A literal depth: whole steps in a loop, the k left over written out.
            int whole = steps / chains * chains;
            if (whole > 0)
            {
                c.Block($"for (int kk = 0; kk < {Text(whole)}; kk += {Text(chains)})", () => Steps("kk"));
            }
            for (int k = whole; k < steps; k++)
            {
                int at = k;
                c.Block("", () => Step(0, $"{first} + {Text(at)}"));
            }
        }
        else
        {
            c.Line("int kk = 0;");
            c.Block($"for (; kk + {Text(chains - 1)} < {count}; kk += {Text(chains)})", () => Steps("kk"));
            c.Block($"for (; kk < {count}; ++kk)", () => Step(0, $"{first} + kk"));
        }
        ForEachSum(rows, panels, (i, v) =>
        {
            if (chains == 2)
            {
                isa.Sum(c, $"r{i}_{v}", Sum(i, v, 0), Sum(i, v, 1));
                return;
            }
            isa.Sum(c, $"p{i}_{v}", Sum(i, v, 0), Sum(i, v, 1));
            isa.Sum(c, $"q{i}_{v}", Sum(i, v, 2), Sum(i, v, 3));
            isa.Sum(c, $"r{i}_{v}", $"p{i}_{v}", $"q{i}_{v}");
        });
        return (i, v) => $"r{i}_{v}";
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);

    private string BiasTerm => Bias switch
    {
        BiasKind.PerRow => $"{BiasArray}[m0 + i]",
        BiasKind.PerColumn => $"{BiasArray}[n0 + j]",
        _ => "0.0f",
    };
}
