using Neurite.Passes.Quantize.Report;
using Xunit;

namespace Neurite.Passes.Tests.Quantize.Report;

/// <summary>SQNR = 10·log10(Σx² / Σ(x − x̂)²) on cases whose answer is known without the code under test.</summary>
public sealed class SignalToQuantizationNoiseTests
{
    [Fact]
    public void AHandMadeCase()
    {
        // Σx² = 9 + 16 = 25, Σ(x − x̂)² = 0 + 1 = 1: 10·log10(25) = 13.9794 dB.
        var sqnr = new SignalToQuantizationNoise();
        sqnr.Add([3f, 4f], [3f, 3f]);
        Assert.Equal(25, sqnr.SignalEnergy);
        Assert.Equal(1, sqnr.NoiseEnergy);
        Assert.Equal(13.979400, sqnr.Decibels, 5);
    }

    [Fact]
    public void TenTimesTheNoiseAmplitudeIsTwentyDecibelsLess()
    {
        var fine = new SignalToQuantizationNoise();
        var coarse = new SignalToQuantizationNoise();
        fine.Add([1f, -2f, 0.5f], [1.01f, -2.01f, 0.51f]);
        coarse.Add([1f, -2f, 0.5f], [1.1f, -2.1f, 0.6f]);
        Assert.Equal(20, fine.Decibels - coarse.Decibels, 2);
    }

    /// <summary>
    /// The textbook result: a full-scale sine on a uniform b-bit grid has SQNR 6.02·b + 1.76 dB,
    /// which assumes the rounding error uniform over a step: within 0.2 dB at 8 bits (where the
    /// sine's arcsine-shaped distribution still shows: the same sums in double precision in
    /// Python give 49.78 dB against 49.92), within 0.05 dB at 12.
    /// </summary>
    [Theory]
    [InlineData(8, 0.2)]
    [InlineData(12, 0.05)]
    public void AFullScaleSineOnABitGridGivesSixDecibelsPerBit(int bits, double tolerance)
    {
        int levels = 1 << bits;
        double step = 2.0 / levels;
        var x = new float[100_000];
        var q = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            // An irrational frequency, so the samples fall everywhere between grid points.
            x[i] = (float)Math.Sin(i * 0.1 * Math.Sqrt(2));
            q[i] = (float)((Math.Floor(x[i] / step) + 0.5) * step);
        }
        var sqnr = new SignalToQuantizationNoise();
        sqnr.Add(x, q);
        Assert.Equal(6.02 * bits + 1.76, sqnr.Decibels, tolerance);
    }

    [Fact]
    public void SumsOverPartsGiveTheWhole()
    {
        float[] x = [1, 2, 3, 4, 5, 6], y = [1.1f, 2, 2.8f, 4, 5.5f, 6];
        var whole = new SignalToQuantizationNoise();
        whole.Add(x, y);
        var first = new SignalToQuantizationNoise();
        var second = new SignalToQuantizationNoise();
        first.Add(x.AsSpan(0, 2), y.AsSpan(0, 2));
        second.Add(x.AsSpan(2), y.AsSpan(2));
        first.Add(second);
        Assert.Equal(whole.Decibels, first.Decibels, 12);
        Assert.Equal(6, first.Count);
    }

    [Fact]
    public void AnExactCopyIsInfinitelyCleanAndNothingIsNotANumber()
    {
        var exact = new SignalToQuantizationNoise();
        exact.Add([1f, -1f], [1f, -1f]);
        Assert.Equal(double.PositiveInfinity, exact.Decibels);
        Assert.True(double.IsNaN(new SignalToQuantizationNoise().Decibels));
    }
}
