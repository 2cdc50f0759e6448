namespace Neurite.Backends.Cpu;

public enum BiasKind
{
    None,
    PerRow,
    PerColumn,
}

/// <summary>
/// C[M,N] = bias (per row or per column) + A[M,K] · B[K,N], then an epilogue of element ops, as
/// register-blocked C: a block of MB rows × NB columns accumulates in a local array across the
/// K loop (in partial sums of <see cref="DepthBlock"/>) and is stored once. Every trip count is a literal, the inner loop runs over
/// contiguous columns of B, and no reassociation is needed, so gcc and clang vectorise it at -O3
/// without -ffast-math. Products are fused multiply-adds in k order where the CPU has FMA, as in
/// the interpreter's Sgemm, so both round the same way. Small M (a matrix-vector product at batch 1) takes wide column blocks so
/// enough independent accumulators hide the FMA latency.
/// </summary>
public sealed record MatrixProduct(
    int M, int N, int K,
    string A, int Lda,
    string B, int Ldb,
    string C, int Ldc,
    BiasKind Bias = BiasKind.None, string? BiasArray = null,
    IReadOnlyList<ElementOp>? Epilogue = null)
{
    public void Emit(CSource c)
    {
        int rowBlock = M >= 4 ? 4 : 1;
        int columnBlock = rowBlock == 4 ? 32 : 64;
        if (N < columnBlock)
        {
            columnBlock = N;
        }
        int fullRows = M / rowBlock * rowBlock, fullColumns = N / columnBlock * columnBlock;
        int rowTail = M - fullRows, columnTail = N - fullColumns;
        void Columns(int rows)
        {
            if (fullColumns > 0)
            {
                c.For("n0", fullColumns, () => Block(c, rows, columnBlock), columnBlock);
            }
            if (columnTail > 0)
            {
                c.Block("", () =>
                {
                    c.Line($"const int n0 = {fullColumns};");
                    Block(c, rows, columnTail);
                });
            }
        }
        if (fullRows > 0)
        {
            c.For("m0", fullRows, () => Columns(rowBlock), rowBlock);
        }
        if (rowTail > 0)
        {
            c.Block("", () =>
            {
                c.Line($"const int m0 = {fullRows};");
                Columns(rowTail);
            });
        }
    }

    /// <summary>
    /// Depth of one partial sum: each block of k starts from zero and is then added to the total
    /// (bias first), the order the interpreter's Sgemm uses, so both round alike.
    /// </summary>
    public const int DepthBlock = 256;

    private void Block(CSource c, int rows, int columns)
    {
        string bias = Bias switch
        {
            BiasKind.PerRow => $"{BiasArray}[m0 + i]",
            BiasKind.PerColumn => $"{BiasArray}[n0 + j]",
            _ => "0.0f",
        };
        void Partial(string first, string last)
        {
            c.Line($"float part[{rows}][{columns}];");
            c.For("i", rows, () => c.For("j", columns, () => c.Line("part[i][j] = 0.0f;")));
            c.Block($"for (int k = {first}; k < {last}; ++k)", () =>
            {
                c.Line($"const float* restrict b = {B} + k * {Ldb} + n0;");
                c.For("i", rows, () =>
                {
                    c.Line($"const float a = {A}[(m0 + i) * {Lda} + k];");
                    c.For("j", columns, () => c.Line("part[i][j] = NEURITE_FMA(a, b[j], part[i][j]);"));
                });
            });
        }
        void Store(string sum)
        {
            c.For("i", rows, () => c.For("j", columns, () =>
            {
                c.Line($"float v = {sum};");
                foreach (var op in Epilogue ?? [])
                {
                    c.Line(op.Statement("v"));
                }
                c.Line($"{C}[(m0 + i) * {Ldc} + n0 + j] = v;");
            }));
        }
        if (K <= DepthBlock)
        {
            Partial("0", K.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Store(Bias == BiasKind.None ? "part[i][j]" : $"{bias} + part[i][j]");
            return;
        }
        c.Line($"float total[{rows}][{columns}];");
        c.For("i", rows, () => c.For("j", columns, () => c.Line($"total[i][j] = {bias};")));
        c.Block($"for (int k0 = 0; k0 < {K}; k0 += {DepthBlock})", () =>
        {
            c.Line($"const int k1 = k0 + {DepthBlock} < {K} ? k0 + {DepthBlock} : {K};");
            Partial("k0", "k1");
            c.For("i", rows, () => c.For("j", columns, () => c.Line("total[i][j] += part[i][j];")));
        });
        Store("total[i][j]");
    }
}
