namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// Raw fixed-point integers in and out of tensors. The fixed-point kernels compute in int64 whatever
/// the storage (a fixed&lt;16,6&gt; lives in int16, a fixed&lt;24,8&gt; in int32), so reading widens
/// exactly and writing narrows values that the type's overflow mode has already fitted into W bits.
/// </summary>
public static class FixedPointTensors
{
    /// <summary>The elements of an integer tensor of any storage, widened to int64.</summary>
    public static long[] Raw(Tensor tensor)
    {
        var raw = new long[tensor.Length];
        switch (tensor.DataType)
        {
            case DataType.Int8: Widen(tensor.Span<sbyte>(), raw); break;
            case DataType.UInt8: Widen(tensor.Span<byte>(), raw); break;
            case DataType.Int16: Widen(tensor.Span<short>(), raw); break;
            case DataType.UInt16: Widen(tensor.Span<ushort>(), raw); break;
            case DataType.Int32: Widen(tensor.Span<int>(), raw); break;
            case DataType.UInt32: Widen(tensor.Span<uint>(), raw); break;
            case DataType.Int64: tensor.Span<long>().CopyTo(raw); break;
            case DataType.UInt64:
                var unsigned = tensor.Span<ulong>();
                for (int i = 0; i < raw.Length; i++)
                {
                    raw[i] = unchecked((long)unsigned[i]);
                }
                break;
            default:
                throw new InvalidNodeException($"fixed-point values are raw integers; got a {tensor.ElementType} tensor");
        }
        return raw;
    }

    /// <summary>A tensor of <paramref name="type"/> (in its storage) holding <paramref name="raw"/>, each already within the type's W bits.</summary>
    public static Tensor FromRaw(long[] raw, FixedPointType type, ReadOnlySpan<int> shape) => type.Storage switch
    {
        DataType.Int8 => Tensor.Create(type, Narrow<sbyte>(raw), shape),
        DataType.UInt8 => Tensor.Create(type, Narrow<byte>(raw), shape),
        DataType.Int16 => Tensor.Create(type, Narrow<short>(raw), shape),
        DataType.UInt16 => Tensor.Create(type, Narrow<ushort>(raw), shape),
        DataType.Int32 => Tensor.Create(type, Narrow<int>(raw), shape),
        DataType.UInt32 => Tensor.Create(type, Narrow<uint>(raw), shape),
        DataType.Int64 => Tensor.Create(type, raw, shape),
        _ => Tensor.Create(type, Narrow<ulong>(raw), shape),
    };

    private static void Widen<T>(ReadOnlySpan<T> values, long[] raw) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] = long.CreateTruncating(values[i]);
        }
    }

    private static T[] Narrow<T>(long[] raw) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var values = new T[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            values[i] = T.CreateTruncating(raw[i]);
        }
        return values;
    }
}
