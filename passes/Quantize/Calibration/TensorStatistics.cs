namespace Neurite.Passes.Quantize.Calibration;

/// <summary>What calibration keeps of one tensor across every sample: exact extremes and a histogram.</summary>
public sealed class TensorStatistics
{
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
}
