namespace Neurite.Backends.Cpu;

/// <summary>
/// acc[M, PP] = bias (per row) + W[M, K] · col[K, PP] in int32, register-blocked as the float
/// <see cref="MatrixProduct"/> is: a block of up to six rows (output channels) × two vectors of
/// eight columns (output pixels) keeps its twelve sums in registers across all of K, each step a
/// splat of one int8 weight times eight int32 im2col values (widened when im2col writes them:
/// GCC 12 widens 8-bit vectors lane by lane, which costs more than the product). With GCC or Clang the block uses
/// vector extensions; any other C99 compiler gets plain loops with the same arithmetic. Integer
/// addition is exact, so the blocking cannot change a bit; when the sums may leave int32
/// (<see cref="IntegerAccumulation.FoldedBias"/>) they run in uint32, which wraps as C# does.
/// PP is a multiple of 16; columns past the real pixels hold zeros and are never requantised.
/// </summary>
public sealed record IntegerMatrixProduct(int M, int K, int PaddedColumns, string Weights, string Bias, bool Wraps)
{
    public const int ColumnBlock = 16;
    private const int RowBlock = 6;

    /// <summary>Columns rounded up to whole blocks.</summary>
    public static int Padded(int columns) => (columns + ColumnBlock - 1) / ColumnBlock * ColumnBlock;

    /// <summary>Emits the product from <c>col</c> into <c>acc</c>.</summary>
    public void Emit(CSource c)
    {
        string vector = Wraps ? "neurite_vu8" : "neurite_vi8";
        string scalar = Wraps ? "uint32_t" : "int32_t";
        c.For("p0", PaddedColumns, () =>
        {
            for (int m0 = 0; m0 < M; m0 += RowBlock)
            {
                int rows = Math.Min(RowBlock, M - m0);
                int first = m0;
                c.Block("", () =>
                {
                    c.Line("#if NEURITE_VECTORS");
                    c.Line($"{vector} {string.Join(", ", Enumerable.Range(0, rows).SelectMany(r => new[] { $"s{r}a", $"s{r}b" }).Select(n => $"{n} = {{ 0 }}"))};");
                    c.For("t", K, () =>
                    {
                        c.Line($"{vector} ca, cb;");
                        c.Line("NEURITE_LOAD(ca, col + t * " + PaddedColumns + " + p0);");
                        c.Line("NEURITE_LOAD(cb, col + t * " + PaddedColumns + " + p0 + 8);");
                        for (int r = 0; r < rows; r++)
                        {
                            c.Line($"const {scalar} w{r} = ({scalar}){Weights}[{(first + r) * K} + t];");
                            c.Line($"s{r}a += ca * w{r};");
                            c.Line($"s{r}b += cb * w{r};");
                        }
                    });
                    for (int r = 0; r < rows; r++)
                    {
                        c.Line($"{vector} b{r} = {{ 0 }};");
                        c.Line($"b{r} += ({scalar}){Bias}[{first + r}];");
                        c.Line($"s{r}a += b{r};");
                        c.Line($"s{r}b += b{r};");
                        c.Line($"NEURITE_STORE(acc + {(first + r) * PaddedColumns} + p0, s{r}a);");
                        c.Line($"NEURITE_STORE(acc + {(first + r) * PaddedColumns} + p0 + 8, s{r}b);");
                    }
                    c.Line("#else");
                    c.Line($"{scalar} s[{rows}][{ColumnBlock}] = {{ {{ 0 }} }};");
                    c.For("t", K, () => c.For("r", rows, () =>
                    {
                        c.Line($"const {scalar} w = ({scalar}){Weights}[({first} + r) * {K} + t];");
                        c.For("j", ColumnBlock, () => c.Line($"s[r][j] += ({scalar})col[t * {PaddedColumns} + p0 + j] * w;"));
                    }));
                    c.For("r", rows, () => c.For("j", ColumnBlock, () =>
                        c.Line(Wraps
                            ? $"acc[({first} + r) * {PaddedColumns} + p0 + j] = {FixedPointC.Wrap}((int64_t)s[r][j] + {Bias}[{first} + r]);"
                            : $"acc[({first} + r) * {PaddedColumns} + p0 + j] = s[r][j] + {Bias}[{first} + r];")));
                    c.Line("#endif");
                });
            }
        }, step: ColumnBlock);
    }
}
