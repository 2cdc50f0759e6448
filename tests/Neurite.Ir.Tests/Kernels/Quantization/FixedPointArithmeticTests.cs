using System.Numerics;
using Neurite.Ir.Kernels.Quantization;
using Xunit;

namespace Neurite.Ir.Tests.Kernels.Quantization;

/// <summary>
/// Integer requantisation (a Q0.31 multiplier and shift, one rounding) against exact rational
/// arithmetic, and fixed-point conversion against ap_fixed's documented rounding and overflow
/// modes worked by hand and against an independent real-valued path.
/// </summary>
public sealed class FixedPointArithmeticTests
{
    [Theory]
    [InlineData(5, 1, 2)]     // 2.5 -> 2 (ties to even)
    [InlineData(7, 1, 4)]     // 3.5 -> 4
    [InlineData(-5, 1, -2)]   // -2.5 -> -2
    [InlineData(-7, 1, -4)]   // -3.5 -> -4
    [InlineData(7, 2, 2)]     // 1.75 -> 2
    [InlineData(-7, 2, -2)]
    [InlineData(6, 2, 2)]     // 1.5 -> 2
    [InlineData(-6, 2, -2)]   // -1.5 -> -2
    [InlineData(9, 0, 9)]
    public void RoundingShiftRightRoundsHalfToEven(long x, int exponent, long expected) =>
        Assert.Equal(expected, FixedPointMultiplier.RoundingShiftRight(x, exponent));

    [Fact]
    public void MultiplierFromARealIsWithinHalfAnUnitOfItsLastBit()
    {
        var random = new Random(1);
        for (int i = 0; i < 10_000; i++)
        {
            double real = Math.Pow(2, random.NextDouble() * 30 - 24);     // 2^-24 .. 2^6
            var m = FixedPointMultiplier.FromReal(real);
            Assert.InRange(m.Mantissa, 1 << 30, int.MaxValue);
            Assert.True(Math.Abs(m.Real - real) <= Math.ScaleB(1.0, m.Shift - 32) * 1.0000001, $"{real} became {m.Real}");
        }
        Assert.Equal(0.5, FixedPointMultiplier.FromReal(0.5).Real);
        Assert.Equal(new FixedPointMultiplier(1 << 30, 1), FixedPointMultiplier.FromReal(1.0));
    }

    [Fact]
    public void ApplyingAMultiplierIsTheExactProductRoundedOnceHalfToEven()
    {
        // Checked with exact big integers: x · M / 2^(31 - shift), nearest, ties to even.
        var random = new Random(2);
        for (int i = 0; i < 20_000; i++)
        {
            var m = FixedPointMultiplier.FromReal(Math.Pow(2, random.NextDouble() * 20 - 18));
            int x = random.Next(-(1 << 24), 1 << 24);
            Assert.Equal(RoundHalfEven((BigInteger)x * m.Mantissa, 31 - m.Shift), m.Apply(x));
        }
        // Exact halves, as averaging four values makes them: 1/4 of 2, 6, -2 and -6.
        var quarter = FixedPointMultiplier.FromReal(0.25);
        Assert.Equal(new[] { 0, 2, 0, -2 }, new[] { 2, 6, -2, -6 }.Select(quarter.Apply).ToArray());
    }

    private static long RoundHalfEven(BigInteger numerator, int shift)
    {
        var denominator = BigInteger.One << shift;
        var floor = BigInteger.Divide(numerator - (numerator.Sign < 0 ? denominator - 1 : 0), denominator);
        var remainder = numerator - floor * denominator;
        var twice = remainder * 2;
        return (long)(twice > denominator || (twice == denominator && !floor.IsEven) ? floor + 1 : floor);
    }

    // ap_fixed<8,3>: 5 fraction bits, raw range [-128, 127] = [-4, 3.96875].
    [Theory]
    [InlineData(1.3, RoundingMode.Truncate, OverflowMode.Wrap, 41)]          // 41.6 -> 41
    [InlineData(1.3, RoundingMode.HalfUp, OverflowMode.Wrap, 42)]
    [InlineData(-1.3, RoundingMode.Truncate, OverflowMode.Wrap, -42)]        // -41.6 -> floor -42
    [InlineData(-1.3, RoundingMode.TowardZero, OverflowMode.Wrap, -41)]
    [InlineData(41.5 / 32, RoundingMode.HalfEven, OverflowMode.Wrap, 42)]
    [InlineData(42.5 / 32, RoundingMode.HalfEven, OverflowMode.Wrap, 42)]
    [InlineData(42.5 / 32, RoundingMode.HalfUp, OverflowMode.Wrap, 43)]
    [InlineData(5.0, RoundingMode.Truncate, OverflowMode.Wrap, -96)]         // 160 wraps to 160 - 256
    [InlineData(5.0, RoundingMode.Truncate, OverflowMode.Saturate, 127)]
    [InlineData(-10.0, RoundingMode.Truncate, OverflowMode.Saturate, -128)]
    [InlineData(-10.0, RoundingMode.Truncate, OverflowMode.SaturateSymmetric, -127)]
    public void RealToFixedFollowsApFixedModes(double value, RoundingMode rounding, OverflowMode overflow, long expected) =>
        Assert.Equal(expected, FixedPointConversion.ToRaw(value, new FixedPointType(8, 3, true, rounding, overflow)));

    [Theory]
    [InlineData(RoundingMode.Truncate, OverflowMode.Wrap)]
    [InlineData(RoundingMode.HalfUp, OverflowMode.Saturate)]
    [InlineData(RoundingMode.HalfEven, OverflowMode.Wrap)]
    [InlineData(RoundingMode.TowardZero, OverflowMode.SaturateSymmetric)]
    public void IntegerCastsBetweenFixedTypesAgreeWithTheRealValuedPath(RoundingMode rounding, OverflowMode overflow)
    {
        // An accumulator with 12 fraction bits cast to fixed<10,4> (6 fraction bits) and to fixed<16,4> (12): the
        // integer shift must give what rounding the exact real value gives.
        foreach (var target in new[] { new FixedPointType(10, 4, true, rounding, overflow), new FixedPointType(16, 2, true, rounding, overflow) })
        {
            for (long raw = -70_000; raw <= 70_000; raw += 7)
            {
                long viaReal = FixedPointConversion.ToRaw(Math.ScaleB((double)raw, -12), target);
                Assert.Equal(viaReal, FixedPointConversion.Convert(raw, 12, target));
            }
        }
    }
}
