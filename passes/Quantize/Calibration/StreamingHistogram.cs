namespace Neurite.Passes.Quantize.Calibration;

/// <summary>
/// A histogram of values over [-R, R] that grows as larger values arrive, in one pass and fixed
/// memory: R doubles and pairs of neighbouring bins merge, which is exact (no value changes bin
/// boundaries it was counted between). Symmetric about zero, so magnitudes fold from it exactly.
/// </summary>
public sealed class StreamingHistogram
{
    /// <summary>Bins over [-R, R]; 2048 per sign, as ONNX Runtime's and TensorRT's calibrators use.</summary>
    public const int BinCount = 4096;
    private const int Half = BinCount / 2;

    private readonly long[] bins = new long[BinCount];
    private long zerosBeforeRange;

    /// <summary>R; 0 until a non-zero value arrives.</summary>
    public double Radius { get; private set; }

    public long Count { get; private set; }

    /// <summary>How many of the values were exactly zero (a ReLU's output is mostly zeros).</summary>
    public long Zeros { get; private set; }

    public double BinWidth => 2 * Radius / BinCount;

    public ReadOnlySpan<long> Bins => bins;

    public void Add(ReadOnlySpan<float> values)
    {
        double largest = 0;
        foreach (float v in values)
        {
            largest = Math.Max(largest, Math.Abs((double)v));
        }
        if (double.IsInfinity(largest))
        {
            throw new InvalidOperationException("calibration saw an infinite activation; the model overflows on this data");
        }
        Grow(largest);
        if (Radius == 0)
        {
            zerosBeforeRange += values.Length;
            Zeros += values.Length;
            Count += values.Length;
            return;
        }
        double scale = BinCount / (2 * Radius);
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }
            Zeros += v == 0 ? 1 : 0;
            int bin = (int)((v + Radius) * scale);
            bins[Math.Clamp(bin, 0, BinCount - 1)]++;
            Count++;
        }
    }

    /// <summary>
    /// Counts of |x| over [0, R] in <see cref="Half"/> bins of width <see cref="BinWidth"/>; without
    /// the exact zeros if asked (they lie on every grid, so they say nothing about where to clip).
    /// </summary>
    public long[] Magnitudes(bool withoutExactZeros = false)
    {
        var folded = new long[Half];
        for (int k = 0; k < Half; k++)
        {
            folded[k] = bins[Half + k] + bins[Half - 1 - k];
        }
        if (withoutExactZeros)
        {
            folded[0] -= Zeros;
        }
        return folded;
    }

    private void Grow(double largest)
    {
        if (largest <= Radius)
        {
            return;
        }
        if (Radius == 0)
        {
            Radius = largest;
            // Zeros seen before any scale existed belong just above zero.
            bins[Half] += zerosBeforeRange;
            zerosBeforeRange = 0;
            return;
        }
        while (Radius < largest)
        {
            // Old bins 2k and 2k+1 become new bin Half/2 + k: the old range is the middle half of the new one.
            var merged = new long[BinCount];
            for (int k = 0; k < Half; k++)
            {
                merged[Half / 2 + k] = bins[2 * k] + bins[2 * k + 1];
            }
            merged.CopyTo(bins, 0);
            Radius *= 2;
        }
    }
}
