namespace Neurite.Backends.Cpu;

public enum BiasKind
{
    None,
    PerRow,
    PerColumn,
}

/// <summary>
/// C[M,N] = A[M,K] · B[K,N] (+ bias per row or per column), then an epilogue of element ops, as
/// register-blocked C: a block of MB rows × NB columns accumulates in a local array across the
/// whole K loop and is stored once. Every trip count is a literal, the inner loop runs over
/// contiguous columns of B, and no reassociation is needed, so gcc and clang vectorise it at -O3
/// without -ffast-math. Small M (a matrix-vector product at batch 1) takes wide column blocks so
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

    private void Block(CSource c, int rows, int columns)
    {
        c.Line($"float acc[{rows}][{columns}];");
        string init = Bias switch
        {
            BiasKind.PerRow => $"{BiasArray}[m0 + i]",
            BiasKind.PerColumn => $"{BiasArray}[n0 + j]",
            _ => "0.0f",
        };
        c.For("i", rows, () => c.For("j", columns, () => c.Line($"acc[i][j] = {init};")));
        c.For("k", K, () =>
        {
            c.Line($"const float* restrict b = {B} + k * {Ldb} + n0;");
            c.For("i", rows, () =>
            {
                c.Line($"const float a = {A}[(m0 + i) * {Lda} + k];");
                c.For("j", columns, () => c.Line("acc[i][j] += a * b[j];"));
            });
        });
        c.For("i", rows, () => c.For("j", columns, () =>
        {
            c.Line("float v = acc[i][j];");
            foreach (var op in Epilogue ?? [])
            {
                c.Line(op.Statement("v"));
            }
            c.Line($"{C}[(m0 + i) * {Ldc} + n0 + j] = v;");
        }));
    }
}
