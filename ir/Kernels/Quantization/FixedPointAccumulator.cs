namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// The arithmetic of one fixed-point layer, as hls4ml's dense and convolution layers do it with
/// ap_fixed types, in integers only:
/// <code>
///   p   = x · w                                  exact, in units of 2^-(Fx+Fw)
///   acc = B + Σ p                                in the accumulator type fixed&lt;Wa,Ia&gt; (Fa = Wa - Ia)
///   y   = cast_output(relu ? max(acc, 0) : acc)  the output type's rounding and overflow
/// </code>
/// The bias and every product are cast to the accumulator (products with its rounding mode when Fa
/// is below Fx+Fw, exactly otherwise). A wrapping accumulator keeps the low Wa bits, which is the
/// same whatever the order of the additions, so it sums in int64 and wraps once; a saturating one
/// clamps after every addition, bias first and then the terms in order, as an HLS loop would.
/// </summary>
public sealed class FixedPointAccumulator
{
    private readonly bool exactSum;
    private readonly int productShift;
    private readonly long accumulatorMin, accumulatorMax;

    public FixedPointAccumulator(FixedPointType input, FixedPointType weights, FixedPointType accumulator, FixedPointType output, bool relu)
    {
        if (input.Width + weights.Width > 64)
        {
            throw new InvalidNodeException($"the product of {input} and {weights} needs {input.Width + weights.Width} bits; at most 64 are supported");
        }
        Accumulator = accumulator;
        Output = output;
        Relu = relu;
        ProductFractionBits = input.FractionBits + weights.FractionBits;
        exactSum = accumulator.Overflow == OverflowMode.Wrap && accumulator.FractionBits >= ProductFractionBits;
        productShift = accumulator.FractionBits - ProductFractionBits;
        accumulatorMin = accumulator.Overflow == OverflowMode.SaturateSymmetric && accumulator.Signed ? accumulator.MinRaw + 1 : accumulator.MinRaw;
        accumulatorMax = accumulator.MaxRaw;
    }

    public FixedPointType Accumulator { get; }
    public FixedPointType Output { get; }
    public bool Relu { get; }

    /// <summary>Fx + Fw: the fraction bits of an exact product.</summary>
    public int ProductFractionBits { get; }

    /// <summary>A bias value (raw, of <paramref name="type"/>) cast to the accumulator.</summary>
    public long Bias(long raw, FixedPointType type) => FixedPointConversion.Convert(raw, type.FractionBits, Accumulator);

    /// <summary>
    /// output[r, c] = y of (bias, left[r, :] · right[c, :]) for every row r of <paramref name="left"/> and
    /// row c of <paramref name="right"/> (both row-major with <paramref name="depth"/> columns);
    /// the bias is indexed by r when <paramref name="biasByRow"/>, else by c, and may be empty.
    /// </summary>
    public void Run(ReadOnlySpan<long> left, int rows, ReadOnlySpan<long> right, int columns, int depth,
        ReadOnlySpan<long> bias, bool biasByRow, Span<long> output)
    {
        for (int r = 0; r < rows; r++)
        {
            var a = left.Slice(r * depth, depth);
            for (int c = 0; c < columns; c++)
            {
                long b = bias.IsEmpty ? 0 : bias[biasByRow ? r : c];
                var w = right.Slice(c * depth, depth);
                output[r * columns + c] = Finish(exactSum ? ExactSum(a, w, b) : SteppedSum(a, w, b));
            }
        }
    }

    /// <summary>The accumulated value (raw, in the accumulator) through the optional ReLU and the cast to the output.</summary>
    public long Finish(long accumulated) =>
        FixedPointConversion.Convert(Relu && accumulated < 0 ? 0 : accumulated, Accumulator.FractionBits, Output);

    private long ExactSum(ReadOnlySpan<long> a, ReadOnlySpan<long> w, long bias)
    {
        // Modulo 2^64 throughout, which 2^Wa divides: wrapping once at the end is wrapping after every addition.
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < a.Length; k += 4)
        {
            s0 += a[k] * w[k];
            s1 += a[k + 1] * w[k + 1];
            s2 += a[k + 2] * w[k + 2];
            s3 += a[k + 3] * w[k + 3];
        }
        for (; k < a.Length; k++)
        {
            s0 += a[k] * w[k];
        }
        long sum = productShift >= 64 ? 0 : ((s0 + s1 + s2 + s3) << productShift) + bias;
        return FixedPointConversion.Convert(sum, Accumulator.FractionBits, Accumulator);
    }

    private long SteppedSum(ReadOnlySpan<long> a, ReadOnlySpan<long> w, long bias)
    {
        long acc = bias;
        for (int k = 0; k < a.Length; k++)
        {
            long term = FixedPointConversion.Convert(a[k] * w[k], ProductFractionBits, Accumulator);
            acc = Accumulator.Overflow == OverflowMode.Wrap ? acc + term : Saturated(acc, term);
        }
        return FixedPointConversion.Convert(acc, Accumulator.FractionBits, Accumulator);
    }

    private long Saturated(long acc, long term)
    {
        long sum = acc + term;
        if (((acc ^ sum) & (term ^ sum)) < 0)
        {
            // Both operands lie within the accumulator's Wa ≤ 64 bits, so int64 overflows only past its range.
            return term < 0 ? accumulatorMin : accumulatorMax;
        }
        return Math.Clamp(sum, accumulatorMin, accumulatorMax);
    }
}
