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
/// register-blocked C. A block of R rows × NB columns keeps its sums in registers across a run
/// of k and is stored once. Column panels are the outer loop so a panel of B stays in cache while
/// every row block passes over it. Every trip count is a literal.
///
/// The inner product runs in partial sums of <see cref="DepthBlock"/> k, each starting from zero
/// and added to a total that starts at the bias, with fused multiply-adds where the CPU has them:
/// the order the interpreter's Sgemm uses, so both round alike.
///
/// With GCC or Clang the block is written with vector extensions (8 floats per vector: AVX, or
/// two SSE registers), so the sums provably live in registers; any other C99 compiler gets plain
/// loops with the same arithmetic.
/// </summary>
public sealed record MatrixProduct(
    int M, int N, int K,
    string A, int Lda,
    string B, int Ldb,
    string C, int Ldc,
    BiasKind Bias = BiasKind.None, string? BiasArray = null,
    IReadOnlyList<ElementOp>? Epilogue = null,
    int? PaddedN = null)
{
    /// <summary>
    /// Columns computed: <see cref="PaddedN"/> when B (and a per-column bias) hold zero-padded
    /// columns up to a multiple of <see cref="VectorWidth"/>, so the last panel is whole vectors
    /// too; only the first N columns are stored.
    /// </summary>
    private int ComputedN => PaddedN ?? N;

    /// <summary>N rounded up to whole vectors: how far a caller pads B to use <see cref="PaddedN"/>.</summary>
    public static int Padded(int n) => (n + VectorWidth - 1) / VectorWidth * VectorWidth;

    /// <summary>Depth of one partial sum (the interpreter's Sgemm depth block).</summary>
    public const int DepthBlock = 256;

    /// <summary>Floats per vector of the vector-extension kernel (NEURITE_V8 in the emitted C).</summary>
    public const int VectorWidth = 8;

    public void Emit(CSource c)
    {
        // Six rows × two vectors (the interpreter's micro-kernel shape) keeps 12 sums in registers;
        // a matrix-vector product (one row) takes eight vectors so enough sums hide the FMA latency.
        int rowBlock = Math.Min(M, 6);
        int columnBlock = Math.Min(ComputedN, VectorWidth * (rowBlock >= 4 ? 2 : rowBlock >= 2 ? 4 : 8));
        // Whole blocks inside the stored columns loop; what is left is whole vectors, then (without padding) a few columns.
        int fullColumns = N / columnBlock * columnBlock, columnTail = ComputedN - fullColumns;
        int vectorTail = columnTail / VectorWidth * VectorWidth;
        var panels = new List<(int Start, int Columns, bool Loop)>();
        if (fullColumns > 0)
        {
            panels.Add((0, columnBlock, true));
        }
        if (vectorTail > 0)
        {
            panels.Add((fullColumns, vectorTail, false));
        }
        if (columnTail > vectorTail)
        {
            panels.Add((fullColumns + vectorTail, columnTail - vectorTail, false));
        }
        // Panels: (columns computed, columns stored).
        void Panels(Action<int, int> body)
        {
            foreach (var (start, columns, loop) in panels)
            {
                if (loop)
                {
                    c.For("n0", fullColumns, () => body(columns, columns), columnBlock);
                }
                else
                {
                    c.Block("", () =>
                    {
                        c.Line($"const int n0 = {start};");
                        body(columns, Math.Min(columns, N - start));
                    });
                }
            }
        }
        void Rows(int columns, Action<int> body)
        {
            int fullRows = M / rowBlock * rowBlock;
            if (fullRows > 0)
            {
                c.For("m0", fullRows, () => body(rowBlock), rowBlock);
            }
            if (M > fullRows)
            {
                c.Block("", () =>
                {
                    c.Line($"const int m0 = {fullRows};");
                    body(M - fullRows);
                });
            }
        }
        if (K <= DepthBlock)
        {
            // One partial sum: bias + sum, the epilogue and the store happen in registers.
            Panels((columns, stored) => Rows(columns, rows =>
            {
                Partial(c, rows, columns, "0", Text(K));
                Store(c, rows, stored, Bias == BiasKind.None ? "part[i][j]" : $"{BiasTerm} + part[i][j]", Epilogue ?? []);
            }));
            return;
        }
        // Several partial sums: C starts at the bias and each depth block's sums are added to it
        // (one panel of B, DepthBlock × columns floats, stays in L1 across all row blocks).
        c.For("m", M, () => c.For("n", N, () => c.Line($"{C}[m * {Ldc} + n] = {Bias switch
        {
            BiasKind.PerRow => $"{BiasArray}[m]",
            BiasKind.PerColumn => $"{BiasArray}[n]",
            _ => "0.0f",
        }};")));
        Panels((columns, stored) => c.Block($"for (int k0 = 0; k0 < {K}; k0 += {DepthBlock})", () =>
        {
            c.Line($"const int k1 = k0 + {DepthBlock} < {K} ? k0 + {DepthBlock} : {K};");
            Rows(columns, rows =>
            {
                Partial(c, rows, columns, "k0", "k1");
                c.For("i", rows, () => c.For("j", stored, () => c.Line($"{C}[(m0 + i) * {Ldc} + n0 + j] += part[i][j];")));
            });
        }));
        if (Epilogue is { Count: > 0 })
        {
            c.For("m", M, () => c.For("n", N, () =>
            {
                c.Line($"float v = {C}[m * {Ldc} + n];");
                foreach (var op in Epilogue)
                {
                    c.Line(op.Statement("v"));
                }
                c.Line($"{C}[m * {Ldc} + n] = v;");
            }));
        }
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    private string BiasTerm => Bias switch
    {
        BiasKind.PerRow => $"{BiasArray}[m0 + i]",
        BiasKind.PerColumn => $"{BiasArray}[n0 + j]",
        _ => "0.0f",
    };

    private void Partial(CSource c, int rows, int columns, string first, string last)
    {
        c.Line($"float part[{rows}][{columns}];");
        bool vector = columns % VectorWidth == 0;
        if (vector)
        {
            c.Line("#if NEURITE_VECTORS");
            PartialVector(c, rows, columns, first, last);
            c.Line("#else");
        }
        PartialScalar(c, rows, columns, first, last);
        if (vector)
        {
            c.Line("#endif");
        }
    }

    private void Store(CSource c, int rows, int columns, string sum, IReadOnlyList<ElementOp> epilogue)
    {
        c.For("i", rows, () => c.For("j", columns, () =>
        {
            c.Line($"float v = {sum};");
            foreach (var op in epilogue)
            {
                c.Line(op.Statement("v"));
            }
            c.Line($"{C}[(m0 + i) * {Ldc} + n0 + j] = v;");
        }));
    }

    private void PartialScalar(CSource c, int rows, int columns, string first, string last)
    {
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

    /// <summary>rows × (columns / 8) vector accumulators, named s{i}_{v}, unrolled so each is a register.</summary>
    private void PartialVector(CSource c, int rows, int columns, string first, string last)
    {
        int vectors = columns / VectorWidth;
        c.Block("", () =>
        {
            for (int i = 0; i < rows; i++)
            {
                c.Line("neurite_v8 " + string.Join(", ", Enumerable.Range(0, vectors).Select(v => $"s{i}_{v} = neurite_zero")) + ";");
            }
            c.Block($"for (int k = {first}; k < {last}; ++k)", () =>
            {
                c.Line($"const float* restrict b = {B} + k * {Ldb} + n0;");
                for (int v = 0; v < vectors; v++)
                {
                    c.Line($"neurite_v8 b{v};");
                    c.Line($"NEURITE_LOAD(b{v}, b + {v * VectorWidth});");
                }
                for (int i = 0; i < rows; i++)
                {
                    c.Line($"const float a{i} = {A}[(m0 + {i}) * {Lda} + k];");
                    for (int v = 0; v < vectors; v++)
                    {
                        c.Line($"s{i}_{v} += a{i} * b{v};");
                    }
                }
            });
            for (int i = 0; i < rows; i++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    c.Line($"NEURITE_STORE(&part[{i}][{v * VectorWidth}], s{i}_{v});");
                }
            }
        });
    }
}
