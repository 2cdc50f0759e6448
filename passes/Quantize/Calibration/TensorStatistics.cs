namespace Neurite.Passes.Quantize.Calibration;

/// <summary>
/// What calibration keeps of one tensor across every sample: exact extremes, a histogram, and
/// the mean of each channel (axis 1), which bias correction needs.
/// </summary>
public sealed class TensorStatistics
{
    private double[]? channelSums;
    private long perChannel;

    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;
    public StreamingHistogram Histogram { get; } = new();

    public long Count => Histogram.Count;

    public void Add(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }
        Min = Math.Min(Min, System.Numerics.Tensors.TensorPrimitives.Min(values));
        Max = Math.Max(Max, System.Numerics.Tensors.TensorPrimitives.Max(values));
        Histogram.Add(values);
    }

    /// <summary>Adds a tensor of <paramref name="shape"/> (batch first, channels second when rank ≥ 2).</summary>
    public void Add(ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        Add(values);
        if (shape.Length < 2 || values.IsEmpty)
        {
            return;
        }
        int channels = shape[1], inner = values.Length / (shape[0] * channels);
        if (channelSums is null || channelSums.Length != channels)
        {
            // A tensor whose channel count changes between samples has no per-channel mean.
            if (channelSums is not null)
            {
                channelSums = [];
                return;
            }
            channelSums = new double[channels];
        }
        for (int n = 0; n < shape[0]; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                channelSums[c] += System.Numerics.Tensors.TensorPrimitives.Sum(values.Slice((n * channels + c) * inner, inner));
            }
        }
        perChannel += (long)shape[0] * inner;
    }

    /// <summary>The mean of each channel (axis 1) over everything seen; null for tensors of rank below 2.</summary>
    public double[]? ChannelMeans => channelSums is { Length: > 0 } sums && perChannel > 0 ? sums.Select(s => s / perChannel).ToArray() : null;
}
