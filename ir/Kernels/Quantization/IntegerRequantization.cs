namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// The integer-only end of a quantised layer: int32 accumulators (plus bias) scaled by each
/// output channel's <see cref="FixedPointMultiplier"/>, shifted by the output zero point and
/// clamped (to the output type's range, or tighter where a ReLU or Clip was fused).
/// </summary>
public static class IntegerRequantization
{
    /// <summary>
    /// Accumulators laid out as rows of <paramref name="rowLength"/> whose channel is the row index
    /// modulo the channel count (NC... for convolutions, rowLength 1 with channels innermost for [N, M] products).
    /// </summary>
    public static Tensor Run(ReadOnlySpan<int> accumulators, int[] shape, int channelAxis, int[]? bias,
        FixedPointMultiplier[] multipliers, int zeroPoint, int min, int max, ElementType outputType)
    {
        int channels = shape[channelAxis];
        int inner = 1;
        for (int d = channelAxis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }
        var values = new int[accumulators.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int channel = i / inner % channels;
            int acc = accumulators[i] + (bias is null ? 0 : bias[channel]);
            var m = multipliers.Length == 1 ? multipliers[0] : multipliers[channel];
            values[i] = (int)Math.Clamp((long)zeroPoint + m.Apply(acc), min, max);
        }
        return Narrow(values, shape, outputType);
    }

    public static Tensor Narrow(int[] values, int[] shape, ElementType type) => type.Storage switch
    {
        DataType.Int8 => Tensor.Create(type, Array.ConvertAll(values, v => (sbyte)v), shape),
        DataType.UInt8 => Tensor.Create(type, Array.ConvertAll(values, v => (byte)v), shape),
        DataType.Int16 => Tensor.Create(type, Array.ConvertAll(values, v => (short)v), shape),
        DataType.UInt16 => Tensor.Create(type, Array.ConvertAll(values, v => (ushort)v), shape),
        DataType.Int32 => Tensor.Create(type, values, shape),
        _ => throw new InvalidNodeException($"a requantised output is an 8-, 16- or 32-bit integer, not {type}"),
    };
}
