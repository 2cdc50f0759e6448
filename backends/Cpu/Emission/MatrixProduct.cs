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
/// <param name="B">Where B's rows are: row-major, packed in panels at compile time, or shifted runs of a convolution's input.</param>
/// <param name="BiasLast">Add the bias to the finished sum instead of starting the sum at it (a bias that was an Add after the product).</param>
/// <param name="SkipZeroInputs">
/// For M = 1 over packed, finite weights: when at most 3/4 of the inputs are nonzero, read only the
/// rows of B whose input is nonzero (see <see cref="EmitNonzeroLists"/>). The result is the same.
/// </param>
public sealed record MatrixProduct(
    int M, int N, int K,
    string A, int Lda,
    ProductOperand B,
    string C, int Ldc,
    BiasKind Bias = BiasKind.None, string? BiasArray = null,
    IReadOnlyList<ElementOp>? Epilogue = null,
    bool BiasLast = false,
    bool SkipZeroInputs = false)
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
        if (SkipZeroInputs)
        {
            if (M != 1 || B is not ProductOperand.Packed)
            {
                throw new InvalidOperationException("zero inputs are skipped only in a matrix-vector product over packed weights");
            }
        }
        for (int i = 0; i < PanelIsa.All.Count; i++)
        {
            var isa = PanelIsa.All[i];
            c.Line(i == 0 ? $"#if {isa.Guard}" : i < PanelIsa.All.Count - 1 ? $"#elif {isa.Guard}" : "#else");
            if (SkipZeroInputs && isa.IsVector)
            {
                // Reading rows by index costs more per row than streaming them all, and saves
                // bandwidth only where the zeros come in runs: worth it below 3/4 nonzero inputs.
                // (The plain loops always read every row: over rows picked by index they do not vectorise.)
                c.Line("int nonzero_total = 0;");
                c.For("k", K, () => c.Line($"nonzero_total += {A}[k] != 0.0f;"));
                c.Block($"if (nonzero_total * 4 <= {Text(K * 3L)})", () =>
                {
                    EmitNonzeroLists(c);
                    EmitWith(c, isa, isa.PanelsPerBlock, skip: true);
                });
                c.Block("else", () => EmitWith(c, isa, isa.PanelsPerBlock, skip: false));
                continue;
            }
            EmitWith(c, isa, isa.PanelsPerBlock, skip: false);
        }
        c.Line("#endif");
    }

    private void EmitWith(CSource c, PanelIsa isa, int panelsPerBlock, bool skip)
    {
        int width = PanelIsa.Width, blockColumns = width * panelsPerBlock;
        int vectorPanels = B.WholePanels ? (N + width - 1) / width : N / width;
        int tail = B.WholePanels ? 0 : N % width;
        // Blocks wholly inside the stored columns loop; the rest are written out one by one.
        int looped = N / blockColumns;
        if (looped > 0)
        {
            c.For("n0", (long)looped * blockColumns, () => Rows(c, isa, panelsPerBlock, blockColumns, skip), blockColumns);
        }
        for (int panel = looped * panelsPerBlock; panel < vectorPanels; panel += panelsPerBlock)
        {
            int panels = Math.Min(panelsPerBlock, vectorPanels - panel), start = panel * width;
            c.Block("", () =>
            {
                c.Line($"const int n0 = {Text(start)};");
                Rows(c, isa, panels, Math.Min(panels * width, N - start), skip);
            });
        }
        if (tail > 0)
        {
            c.Block("", () =>
            {
                c.Line($"const int n0 = {Text(vectorPanels * width)};");
                Rows(c, PanelIsa.ScalarOf(tail), 1, tail, skip: false);
            });
        }
    }

    private void Rows(CSource c, PanelIsa isa, int panels, int stored, bool skip)
    {
        foreach (var group in RowGroups())
        {
            if (group.Blocks > 1)
            {
                c.For("m0", group.First + (long)group.Blocks * group.Rows, () => Block(c, isa, group, panels, stored, skip), group.Rows, group.First);
            }
            else
            {
                c.Block("", () =>
                {
                    c.Line($"const int m0 = {Text(group.First)};");
                    Block(c, isa, group, panels, stored, skip);
                });
            }
        }
    }

    /// <summary>One register block: group.Rows rows from m0 × <paramref name="panels"/> panels from n0, the first <paramref name="stored"/> columns stored.</summary>
    private void Block(CSource c, PanelIsa isa, RowGroup group, int panels, int stored, bool skip)
    {
        int rows = group.Rows, columns = panels * isa.Columns;
        if (K <= DepthBlock && Bias == BiasKind.None && Epilogue is not { Count: > 0 } && stored == columns)
        {
            // Nothing to add or apply and whole panels to store: the sums go straight to C.
            var sum = skip ? PartialOfNonzero(c, isa, panels, "0") : Partial(c, isa, group, panels, "0", Text(K));
            ForEachSum(rows, panels, (i, v) => isa.Store(c, $"&{C}[(m0 + {i}) * {Text(Ldc)} + n0 + {Text(v * isa.Columns)}]", sum(i, v)));
            return;
        }
        c.Line($"float tile[{Text(rows)}][{Text(columns)}];");
        if (K <= DepthBlock)
        {
            var sum = skip ? PartialOfNonzero(c, isa, panels, "0") : Partial(c, isa, group, panels, "0", Text(K));
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
            if (!skip)
            {
                c.Line($"const int kc = {Text(K)} - k0 < {Text(DepthBlock)} ? {Text(K)} - k0 : {Text(DepthBlock)};");
            }
            var sum = skip ? PartialOfNonzero(c, isa, panels, $"k0 / {Text(DepthBlock)}") : Partial(c, isa, group, panels, "k0", "kc");
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
        ZeroSums(c, isa, rows, panels, chains);
        void Step(int q, string k) => MultiplyAddRow(c, isa, rows, panels, q, k);
        if (chains == 1)
        {
            c.Block($"for (int kk = 0; kk < {count}; ++kk)", () => Step(0, $"{first} + kk"));
            return (i, v) => SumName(i, v, 0);
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
        return AddChains(c, isa, rows, panels, chains);
    }

    private static string SumName(int i, int v, int q) => $"s{i}_{v}_{q}";

    private static void ZeroSums(CSource c, PanelIsa isa, int rows, int panels, int chains)
    {
        for (int q = 0; q < chains; q++)
        {
            ForEachSum(rows, panels, (i, v) => isa.Zero(c, SumName(i, v, q)));
        }
    }

    /// <summary>Sum q of every row and panel of the block += A[m0 + i][k] · B[k][panel].</summary>
    private void MultiplyAddRow(CSource c, PanelIsa isa, int rows, int panels, int q, string k)
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
                isa.MultiplyAdd(c, SumName(i, v, q), $"a{i}_{q}", $"b{v}_{q}");
            }
        }
    }

    /// <summary>The chains of each element added as the interpreter adds them: s0 + s1, or (s0 + s1) + (s2 + s3).</summary>
    private static Func<int, int, string> AddChains(CSource c, PanelIsa isa, int rows, int panels, int chains)
    {
        if (chains == 1)
        {
            return (i, v) => SumName(i, v, 0);
        }
        ForEachSum(rows, panels, (i, v) =>
        {
            if (chains == 2)
            {
                isa.Sum(c, $"r{i}_{v}", SumName(i, v, 0), SumName(i, v, 1));
                return;
            }
            isa.Sum(c, $"p{i}_{v}", SumName(i, v, 0), SumName(i, v, 1));
            isa.Sum(c, $"q{i}_{v}", SumName(i, v, 2), SumName(i, v, 3));
            isa.Sum(c, $"r{i}_{v}", $"p{i}_{v}", $"q{i}_{v}");
        });
        return (i, v) => $"r{i}_{v}";
    }

    /// <summary>Slots of one list in <see cref="EmitNonzeroLists"/>: a block's k ≡ q, plus up to 3 left over for list 0.</summary>
    private const int ListSlots = DepthBlock / 4 + 3;

    /// <summary>
    /// For a matrix-vector product: per depth block and per sum q of the lone row's four, the k
    /// whose input A[k] is not zero, in order (list 0 ends with the block's left-over k). Built
    /// once without branches; every column block then reads only those rows of B. A term with a
    /// zero input adds 0·B[k][n] = 0 to its sum, so leaving it out changes no bit of the result
    /// (the caller makes sure B is finite), while a ReLU output or an image with a background,
    /// half zeros or more, halves the weights a batch-1 dense layer streams.
    /// </summary>
    private void EmitNonzeroLists(CSource c)
    {
        int blocks = (K + DepthBlock - 1) / DepthBlock;
        c.Line($"int nonzero[{Text(blocks)}][4][{Text(ListSlots)}];");
        c.Line($"int nonzeros[{Text(blocks)}][4];");
        c.For("block", blocks, () =>
        {
            c.Line($"const int k0 = block * {Text(DepthBlock)};");
            c.Line($"const int kc = {Text(K)} - k0 < {Text(DepthBlock)} ? {Text(K)} - k0 : {Text(DepthBlock)};");
            c.Line("const int whole = kc / 4 * 4;");
            c.Line("int found0 = 0, found1 = 0, found2 = 0, found3 = 0;");
            c.Block("for (int kk = 0; kk < whole; kk += 4)", () =>
            {
                for (int q = 0; q < 4; q++)
                {
                    c.Line($"nonzero[block][{q}][found{q}] = k0 + kk + {q};");
                    c.Line($"found{q} += {A}[k0 + kk + {q}] != 0.0f;");
                }
            });
            c.Block("for (int kk = whole; kk < kc; ++kk)", () =>
            {
                c.Line("nonzero[block][0][found0] = k0 + kk;");
                c.Line($"found0 += {A}[k0 + kk] != 0.0f;");
            });
            for (int q = 0; q < 4; q++)
            {
                c.Line($"nonzeros[block][{q}] = found{q};");
            }
        });
    }

    /// <summary>
    /// The four sums of the lone row over depth block <paramref name="block"/>, from the lists of
    /// nonzero inputs: the four lists in step as far as the shortest goes, then each to its end
    /// (each sum still takes its terms in order of k).
    /// </summary>
    private Func<int, int, string> PartialOfNonzero(CSource c, PanelIsa isa, int panels, string block)
    {
        ZeroSums(c, isa, 1, panels, 4);
        for (int q = 0; q < 4; q++)
        {
            c.Line($"const int* restrict list{q} = nonzero[{block}][{q}];");
            c.Line($"const int count{q} = nonzeros[{block}][{q}];");
        }
        c.Line("int together = count0 < count1 ? count0 : count1;");
        c.Line("together = together < count2 ? together : count2;");
        c.Line("together = together < count3 ? together : count3;");
        c.Block("for (int t = 0; t < together; ++t)", () =>
        {
            for (int q = 0; q < 4; q++)
            {
                MultiplyAddRow(c, isa, 1, panels, q, $"list{q}[t]");
            }
        });
        for (int q = 0; q < 4; q++)
        {
            int chain = q;
            c.Block($"for (int t = together; t < count{q}; ++t)", () => MultiplyAddRow(c, isa, 1, panels, chain, $"list{chain}[t]"));
        }
        return AddChains(c, isa, 1, panels, 4);
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);

    private string BiasTerm => Bias switch
    {
        BiasKind.PerRow => $"{BiasArray}[m0 + i]",
        BiasKind.PerColumn => $"{BiasArray}[n0 + j]",
        _ => "0.0f",
    };
}
