using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels.Quantization;

/// <summary>Reads the 8-, 16- and 32-bit integer tensors of the integer ops as int32, the type they accumulate in.</summary>
public static class IntegerValues
{
    /// <summary>The elements as int32, each minus <paramref name="offset"/> (a zero point).</summary>
    public static int[] ToInt32(Tensor tensor, int offset = 0)
    {
        var result = new int[tensor.Length];
        switch (tensor.DataType)
        {
            case DataType.UInt8 or DataType.UInt4 or DataType.UInt2:
                Widen<byte>(tensor.Span<byte>(), result);
                break;
            case DataType.Int8 or DataType.Int4 or DataType.Int2:
                Widen<sbyte>(tensor.Span<sbyte>(), result);
                break;
            case DataType.UInt16:
                Widen<ushort>(tensor.Span<ushort>(), result);
                break;
            case DataType.Int16:
                Widen<short>(tensor.Span<short>(), result);
                break;
            case DataType.Int32:
                tensor.Span<int>().CopyTo(result);
                break;
            default:
                throw new InvalidNodeException($"expected an 8-, 16- or 32-bit integer tensor, got {tensor.ElementType}");
        }
        if (offset != 0)
        {
            TensorPrimitives.Subtract(result, offset, result);
        }
        return result;
    }

    /// <summary>
    /// The zero points of a per-tensor or per-index parameter as int32: <paramref name="count"/>
    /// values (a single one repeated when the tensor has one element). Absent means zero.
    /// </summary>
    public static int[] ZeroPoints(Tensor? zeroPoint, int count, string what)
    {
        if (zeroPoint is null)
        {
            return new int[count];
        }
        var values = ToInt32(zeroPoint);
        if (values.Length == count)
        {
            return values;
        }
        if (values.Length == 1)
        {
            var repeated = new int[count];
            repeated.AsSpan().Fill(values[0]);
            return repeated;
        }
        throw new InvalidNodeException($"{what} has {values.Length} elements; expected 1 or {count}");
    }

    /// <summary>A per-tensor or per-index float parameter (a scale) as <paramref name="count"/> float32 values.</summary>
    public static float[] Scales(Tensor scale, int count, string what)
    {
        var values = TensorConvert.ToFloat32(scale).ToArray<float>();
        if (values.Length == count)
        {
            return values;
        }
        if (values.Length == 1)
        {
            var repeated = new float[count];
            repeated.AsSpan().Fill(values[0]);
            return repeated;
        }
        throw new InvalidNodeException($"{what} has {values.Length} elements; expected 1 or {count}");
    }

    /// <summary>The single value of a per-tensor scale, as float32.</summary>
    public static float Scale(Tensor scale, string what) => Scales(RequireScalar(scale, what), 1, what)[0];

    /// <summary>The single value of a per-tensor parameter.</summary>
    public static Tensor RequireScalar(Tensor tensor, string what) => tensor.Length == 1
        ? tensor
        : throw new InvalidNodeException($"{what} must hold one value (per-tensor), it has shape [{string.Join(",", tensor.Shape.ToArray())}]");

    private static void Widen<T>(ReadOnlySpan<T> source, Span<int> destination) where T : unmanaged, INumberBase<T> =>
        TensorPrimitives.ConvertTruncating<T, int>(source, destination);
}
