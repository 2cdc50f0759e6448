using System.Numerics;
using Neurite.Ir;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// Overflow analysis of one layer: the largest accumulator magnitude over every output channel,
/// Σ_k |w_raw[m, k]| · X + |b_raw[m]| with the products and the bias expressed in the
/// accumulator's fraction bits, and the signed width that holds it. X is the largest raw input
/// magnitude: the input type's (worst case) or the calibrated range's. Exact, in big integers.
/// </summary>
public static class AccumulatorWidth
{
    /// <param name="weights">Raw weights, one row of <paramref name="depth"/> per output channel.</param>
    /// <param name="bias">Raw bias per output channel (of <paramref name="biasType"/>), or empty.</param>
    /// <param name="inputMagnitude">X, a raw magnitude of the input type.</param>
    /// <param name="accumulatorFractionBits">Fa; each product term, of Fx + Fw fraction bits, rounded up in magnitude when Fa is smaller.</param>
    public static BigInteger LargestMagnitude(ReadOnlySpan<long> weights, int depth, FixedPointType input, FixedPointType weightType,
        ReadOnlySpan<long> bias, FixedPointType? biasType, BigInteger inputMagnitude, int accumulatorFractionBits)
    {
        int productShift = accumulatorFractionBits - input.FractionBits - weightType.FractionBits;
        BigInteger largest = BigInteger.Zero;
        int channels = depth == 0 ? bias.Length : weights.Length / depth;
        for (int m = 0; m < channels; m++)
        {
            BigInteger sum = BigInteger.Zero;
            if (productShift >= 0)
            {
                foreach (long w in weights.Slice(m * depth, depth))
                {
                    sum += BigInteger.Abs(w);
                }
                sum = (sum * inputMagnitude) << productShift;
            }
            else
            {
                foreach (long w in weights.Slice(m * depth, depth))
                {
                    sum += Scaled(BigInteger.Abs(w) * inputMagnitude, productShift);
                }
            }
            if (!bias.IsEmpty)
            {
                sum += Scaled(BigInteger.Abs(bias[m]), accumulatorFractionBits - biasType!.FractionBits);
            }
            largest = BigInteger.Max(largest, sum);
        }
        return largest;
    }

    /// <summary>The bits of a signed integer that holds every value in [-magnitude, magnitude]: the magnitude's bit length plus the sign.</summary>
    public static int SignedBits(BigInteger magnitude) => (int)magnitude.GetBitLength() + 1;

    /// <summary>The largest raw magnitude of a type: 2^(W-1) for signed types (the most negative value), else the largest value.</summary>
    public static BigInteger TypeMagnitude(FixedPointType type) => type.Signed ? BigInteger.One << (type.Width - 1) : new BigInteger(type.MaxRaw);

    /// <summary>The raw magnitude of a real magnitude in <paramref name="type"/>, rounded up, never beyond what the type holds.</summary>
    public static BigInteger RawMagnitude(double magnitude, FixedPointType type)
    {
        double scaled = Math.Ceiling(Math.ScaleB(Math.Abs(magnitude), type.FractionBits));
        var limit = TypeMagnitude(type);
        return scaled >= (double)limit ? limit : new BigInteger(scaled);
    }

    /// <summary>value · 2^shift, rounded up in magnitude when the shift drops bits.</summary>
    private static BigInteger Scaled(BigInteger value, int shift)
    {
        if (shift >= 0)
        {
            return value << shift;
        }
        var divisor = BigInteger.One << -shift;
        return (value + divisor - 1) / divisor;
    }
}
