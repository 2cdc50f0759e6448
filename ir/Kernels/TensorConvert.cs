using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Neurite.Ir.Kernels;

/// <summary>
/// Element conversions between storage kinds, as C casts do them (what ONNX Runtime does):
/// float to integer truncates toward zero, integer narrowing keeps the low bits, bool is 0/1.
/// Every conversion to a float type rounds once, to nearest even: bfloat16 and the 8- and 4-bit
/// floats are encoded from float32, which wider values reach rounded to odd (see
/// <see cref="Float32ForNarrowing"/>). Strings are the Cast op's business (<see cref="CastKernel"/>).
/// </summary>
public static class TensorConvert
{
    public static Tensor ToFloat32(Tensor x) => Convert(x, DataType.Float32);

    public static Tensor Convert(Tensor x, DataType target) => Convert(x, ElementType.Of(target));

    /// <param name="saturate">For the 8- and 4-bit float targets: whether values beyond the largest finite one clip to it (see <see cref="NarrowFloat.FromFloat(DataType, float, bool)"/>).</param>
    /// <param name="rounding">For float8e8m0 targets: how a value rounds to a power of two.</param>
    public static Tensor Convert(Tensor x, ElementType target, bool saturate = true, PowerOfTwoRounding rounding = PowerOfTwoRounding.Up)
    {
        var to = target.Storage;
        if (x.DataType == to)
        {
            return x.ElementType.Equals(target) ? x : x.WithElementType(target);
        }
        if (x.DataType == DataType.String || to == DataType.String)
        {
            throw new InvalidNodeException($"cannot convert {x.ElementType} to {target} here: strings convert only through the Cast op");
        }
        if (to.IsNarrowFloat())
        {
            var bits = GC.AllocateUninitializedArray<byte>(x.Length);
            NarrowFloat.FromFloat(to, Float32ForNarrowing(x), bits, saturate, rounding);
            return Tensor.Create(target, bits, x.Shape);
        }
        if (to == DataType.BFloat16)
        {
            return Tensor.Create(target, ToBFloat16(Float32ForNarrowing(x)), x.Shape);
        }
        if (to is DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2)
        {
            return ToSubByteInteger(Convert(x, DataType.Int64).Span<long>(), target, x.Shape);
        }
        return x.DataType switch
        {
            DataType.Float32 => From(x.Span<float>(), target, x.Shape),
            DataType.Float64 => From(x.Span<double>(), target, x.Shape),
            DataType.Float16 => From(x.Span<Half>(), target, x.Shape),
            DataType.Int8 or DataType.Int4 or DataType.Int2 => From(x.Span<sbyte>(), target, x.Shape),
            DataType.Int16 => From(x.Span<short>(), target, x.Shape),
            DataType.Int32 => From(x.Span<int>(), target, x.Shape),
            DataType.Int64 => From(x.Span<long>(), target, x.Shape),
            DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => From(x.Span<byte>(), target, x.Shape),
            DataType.UInt16 => From(x.Span<ushort>(), target, x.Shape),
            DataType.UInt32 => From(x.Span<uint>(), target, x.Shape),
            DataType.UInt64 => From(x.Span<ulong>(), target, x.Shape),
            // Bools are stored as the bytes 0 and 1.
            DataType.Bool => From(x.Bytes, target, x.Shape),
            // bfloat16 and the narrow floats have no arithmetic; float32 holds all their values.
            _ => From<float>(HalfPrecision.Widen(x), target, x.Shape),
        };
    }

    /// <summary>
    /// The elements as float32 on the way to a narrower float type. float16, bfloat16 and the
    /// narrow floats are exact in float32. Wider values (float64, integers) round to odd, so the
    /// final round-to-nearest-even still sees which side of a tie they were on: rounding twice
    /// then gives what rounding once would.
    /// </summary>
    private static ReadOnlySpan<float> Float32ForNarrowing(Tensor x)
    {
        if (x.DataType == DataType.Float32)
        {
            return x.Span<float>();
        }
        if (x.DataType is DataType.Float16 or DataType.BFloat16 || x.DataType.IsNarrowFloat())
        {
            return HalfPrecision.Widen(x);
        }
        var wide = Convert(x, DataType.Float64).Span<double>();
        var result = GC.AllocateUninitializedArray<float>(wide.Length);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = RoundToOdd(wide[i]);
        }
        return result;
    }

    private static float RoundToOdd(double value)
    {
        float nearest = (float)value;
        if ((double)nearest == value || !float.IsFinite(nearest) || (BitConverter.SingleToUInt32Bits(nearest) & 1) != 0)
        {
            return nearest;
        }
        return (double)nearest < value ? float.BitIncrement(nearest) : float.BitDecrement(nearest);
    }

    private static BFloat16[] ToBFloat16(ReadOnlySpan<float> values)
    {
        var result = GC.AllocateUninitializedArray<BFloat16>(values.Length);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (BFloat16)values[i];
        }
        return result;
    }

    /// <summary>4- and 2-bit integers keep the low bits of the int64 value (sign-extended for the signed ones), as ml_dtypes does.</summary>
    private static Tensor ToSubByteInteger(ReadOnlySpan<long> values, ElementType target, ReadOnlySpan<int> shape)
    {
        int bits = target.Storage.BitWidth();
        long mask = (1L << bits) - 1;
        if (target.Storage.IsSignedInteger())
        {
            var signed = GC.AllocateUninitializedArray<sbyte>(values.Length);
            for (int i = 0; i < signed.Length; i++)
            {
                long low = values[i] & mask;
                signed[i] = (sbyte)(low >= 1L << (bits - 1) ? low - (1L << bits) : low);
            }
            return Tensor.Create(target, signed, shape);
        }
        var unsigned = GC.AllocateUninitializedArray<byte>(values.Length);
        for (int i = 0; i < unsigned.Length; i++)
        {
            unsigned[i] = (byte)(values[i] & mask);
        }
        return Tensor.Create(target, unsigned, shape);
    }

    /// <summary>To the storage kinds with arithmetic: float16/32/64, bool and the 8- to 64-bit integers.</summary>
    private static Tensor From<TFrom>(ReadOnlySpan<TFrom> source, ElementType target, ReadOnlySpan<int> shape)
        where TFrom : unmanaged, INumberBase<TFrom> => target.Storage switch
    {
        DataType.Float32 => Tensor.Create(target, To<TFrom, float>(source), shape),
        DataType.Float64 => Tensor.Create(target, To<TFrom, double>(source), shape),
        DataType.Float16 => Tensor.Create(target, To<TFrom, Half>(source), shape),
        DataType.Int8 => Tensor.Create(target, To<TFrom, sbyte>(source), shape),
        DataType.Int16 => Tensor.Create(target, To<TFrom, short>(source), shape),
        DataType.Int32 => Tensor.Create(target, To<TFrom, int>(source), shape),
        DataType.Int64 => Tensor.Create(target, To<TFrom, long>(source), shape),
        DataType.UInt8 => Tensor.Create(target, To<TFrom, byte>(source), shape),
        DataType.UInt16 => Tensor.Create(target, To<TFrom, ushort>(source), shape),
        DataType.UInt32 => Tensor.Create(target, To<TFrom, uint>(source), shape),
        DataType.UInt64 => Tensor.Create(target, To<TFrom, ulong>(source), shape),
        DataType.Bool => Tensor.Create(target, ToBool(source), shape),
        _ => throw new ArgumentException($"{target} is not converted here"),
    };

    private static bool[] ToBool<TFrom>(ReadOnlySpan<TFrom> source) where TFrom : unmanaged, INumberBase<TFrom>
    {
        var result = GC.AllocateUninitializedArray<bool>(source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            result[i] = !TFrom.IsZero(source[i]);
        }
        return result;
    }

    private static TTo[] To<TFrom, TTo>(ReadOnlySpan<TFrom> source)
        where TFrom : unmanaged, INumberBase<TFrom> where TTo : unmanaged, INumberBase<TTo>
    {
        var result = GC.AllocateUninitializedArray<TTo>(source.Length);
        if (typeof(TFrom) == typeof(Half) && typeof(TTo) == typeof(float))
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<TFrom, Half>(source),
                MemoryMarshal.Cast<TTo, float>(result.AsSpan()));
            return result;
        }
        if (typeof(TFrom) == typeof(float) && typeof(TTo) == typeof(Half))
        {
            TensorPrimitives.ConvertToHalf(MemoryMarshal.Cast<TFrom, float>(source),
                MemoryMarshal.Cast<TTo, Half>(result.AsSpan()));
            return result;
        }
        bool floatToInteger = IsFloat<TFrom>() && !IsFloat<TTo>();
        for (int i = 0; i < source.Length; i++)
        {
            // Float to integer: truncate toward zero, through int64 so narrowing wraps like a C cast chain.
            result[i] = floatToInteger
                ? TTo.CreateTruncating(long.CreateSaturating(source[i]))
                : TTo.CreateTruncating(source[i]);
        }
        return result;
    }

    private static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);
}
