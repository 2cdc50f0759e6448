namespace Neurite.Backends.Cpu;

/// <summary>
/// The integer core of QGemm: for each batch row r of A and each output m, the dot product of A[r]
/// with W[m] over K int8/int16 values, accumulated in int32, plus the output's folded bias, stored
/// into the int32 buffer <c>acc</c>; the kernel then requantises <c>acc</c> (<see cref="Requantizer.EmitRow"/>).
/// <para>
/// The interpreter computes Σ (x - x_zero_point)·w + B. Here A holds the raw x (padding is the
/// raw zero point, the real value zero), so the product is Σ x·w, whose inner loop is a plain
/// int8 × int8 → int32 dot product gcc vectorises (vpmovsxbw + vpmaddwd at -O3 -march=native), and
/// the zero point joins the bias at compile time: B' = B - x_zero_point·Σ w. The two are equal
/// in the integers, and so modulo 2^32: when <see cref="IntegerAccumulation.FoldedBias"/> finds
/// that an accumulator could leave int32 (the interpreter's C# arithmetic then wraps), the sums
/// are emitted in uint32, which wraps the same way; otherwise in int32, which then never overflows.
/// </para>
/// Four outputs share each pass over A[r] (four accumulators), so a row is loaded once per four
/// dot products. (Convolutions, with short dot products and many pixels, use <see cref="IntegerMatrixProduct"/>.)
/// </summary>
public sealed record IntegerProduct(
    int Rows, int Outputs, int Depth, CScalar Input, string A, string Weights, string Bias, bool Wraps,
    Func<string, string, string> AccumulatorIndex)
{
    private const int Block = 4;

    public void Emit(CSource c)
    {
        string accumulator = Wraps ? "uint32_t" : "int32_t";
        c.For("r", Rows, () =>
        {
            c.Line($"const {Input.Name}* restrict a = {A} + r * {Depth};");
            int blocked = Outputs / Block * Block;
            if (blocked > 0)
            {
                c.For("m", blocked, () =>
                {
                    for (int b = 0; b < Block; b++)
                    {
                        c.Line($"const int8_t* restrict w{b} = {Weights} + (m + {b}) * {Depth};");
                    }
                    c.Line($"{accumulator} {string.Join(", ", Enumerable.Range(0, Block).Select(b => $"sum{b} = 0"))};");
                    c.For("t", Depth, () =>
                    {
                        c.Line("const int32_t v = a[t];");
                        for (int b = 0; b < Block; b++)
                        {
                            c.Line(Wraps ? $"sum{b} += (uint32_t)(v * w{b}[t]);" : $"sum{b} += v * w{b}[t];");
                        }
                    });
                    for (int b = 0; b < Block; b++)
                    {
                        Store(c, $"sum{b}", $"m + {b}");
                    }
                }, step: Block);
            }
            if (blocked < Outputs)
            {
                c.For("m", Outputs, () =>
                {
                    c.Line($"const int8_t* restrict w0 = {Weights} + m * {Depth};");
                    c.Line($"{accumulator} sum0 = 0;");
                    c.For("t", Depth, () => c.Line(Wraps ? "sum0 += (uint32_t)((int32_t)a[t] * w0[t]);" : "sum0 += (int32_t)a[t] * w0[t];"));
                    Store(c, "sum0", "m");
                }, start: blocked);
            }
        });
    }

    private void Store(CSource c, string sum, string m) =>
        c.Line($"acc[{AccumulatorIndex("r", m)}] = {(Wraps ? $"{FixedPointC.Wrap}((int64_t){sum} + {Bias}[{m}])" : $"{sum} + {Bias}[{m}]")};");
}

/// <summary>
/// The compile-time half of <see cref="IntegerProduct"/>: the bias with the input zero point
/// folded in, and whether any partial sum can leave int32.
/// </summary>
public static class IntegerAccumulation
{
    /// <param name="weights">Row m holds the <paramref name="depth"/> weights of output channel m.</param>
    /// <param name="bias">The int32 bias per channel, or null.</param>
    /// <param name="wraps">True when some accumulator may leave int32 (then the C sums in uint32, wrapping as C# does).</param>
    public static int[] FoldedBias(sbyte[] weights, int outputs, int depth, int[]? bias, int xZeroPoint, CScalar input, out bool wraps)
    {
        long largest = Math.Max(-input.Min, input.Max);
        var folded = new int[outputs];
        wraps = false;
        for (int m = 0; m < outputs; m++)
        {
            long sum = 0, magnitude = 0;
            for (int k = 0; k < depth; k++)
            {
                sum += weights[m * depth + k];
                magnitude += Math.Abs((long)weights[m * depth + k]);
            }
            long exact = (bias?[m] ?? 0) - (long)xZeroPoint * sum;
            // Every partial sum of the dot product, with or without the bias, lies within this bound.
            if (Math.Abs(exact) + largest * magnitude > int.MaxValue)
            {
                wraps = true;
            }
            folded[m] = unchecked((int)exact);
        }
        return folded;
    }
}
