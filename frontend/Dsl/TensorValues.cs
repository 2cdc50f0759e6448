using System.Globalization;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// Tensors from the values a program writes (literals, zeros, fill, random draws) and back to
/// text. Each element type has one text form that reads back bit for bit: floats in their
/// shortest round-trip form, integers as integers, booleans as true/false, strings quoted.
/// </summary>
internal static class TensorValues
{
    /// <summary>Storage kinds NumPy has a dtype for; the others go to .npz as their bits.</summary>
    public static bool HasNumpyType(DataType type) => type is DataType.Float32 or DataType.Float64 or DataType.Float16
        or DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64
        or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64 or DataType.Bool;

    /// <summary>What .npz stores for a tensor: its storage as a NumPy dtype, or its bits as unsigned integers of the same width.</summary>
    public static Tensor ForNpz(Tensor tensor)
    {
        if (HasNumpyType(tensor.DataType))
        {
            return tensor.ElementType is ScalarType ? tensor : tensor.WithElementType(ElementType.Of(tensor.DataType));
        }
        var bits = tensor.DataType.ByteSize() == 2 ? ElementType.UInt16 : ElementType.UInt8;
        return Tensor.FromOwnedBytes(bits, tensor.Bytes.ToArray(), tensor.Shape);
    }

    /// <summary>An array read from a side file as the declared type, or the reason it cannot be.</summary>
    public static Tensor? AsDeclared(Tensor array, TensorType declared, out string? problem)
    {
        problem = null;
        var shape = declared.Shape.ToSizes();
        if (!array.Shape.SequenceEqual(shape))
        {
            problem = $"it holds shape [{string.Join(", ", array.ShapeArray())}], the declaration says [{string.Join(", ", shape)}]";
            return null;
        }
        var element = declared.ElementType;
        if (array.ElementType == element)
        {
            return array;
        }
        if (array.DataType == element.Storage)
        {
            return array.WithElementType(element);
        }
        if (!HasNumpyType(element.Storage) && element.Storage != DataType.String && array.DataType.IsUnsignedInteger()
            && array.DataType.ByteSize() == element.Storage.ByteSize())
        {
            return Tensor.FromOwnedBytes(element, array.Bytes.ToArray(), shape);
        }
        problem = $"it holds {TypeSyntax.Name(array.DataType)} values, the declaration says {TypeSyntax.Format(element)}";
        return null;
    }

    /// <summary>A tensor whose element i is <paramref name="valueAt"/>(i), converted to the element type's storage.</summary>
    public static Tensor FromDoubles(ElementType type, int[] shape, Func<int, double> valueAt)
    {
        int count = Tensor.ElementCountOf(shape);
        var storage = type.Storage;
        switch (storage)
        {
            case DataType.Float32:
                return Tensor.Create(type, Fill(count, i => (float)valueAt(i)), shape);
            case DataType.Float64:
                return Tensor.Create(type, Fill(count, valueAt), shape);
            case DataType.Float16:
                return Tensor.Create(type, Fill(count, i => (Half)valueAt(i)), shape);
            case DataType.BFloat16:
                return Tensor.Create(type, Fill(count, i => (BFloat16)(float)valueAt(i)), shape);
            case DataType.Bool:
                return Tensor.Create(type, Fill(count, i => valueAt(i) != 0), shape);
            case var narrow when narrow.IsNarrowFloat():
                return Tensor.Create(type, Fill(count, i => NarrowFloat.FromFloat(narrow, (float)valueAt(i))), shape);
            default:
                return FromIntegers(type, shape, i => (long)valueAt(i));
        }
    }

    /// <summary>A tensor of an integer storage kind from 64-bit values (already checked against its range).</summary>
    public static Tensor FromIntegers(ElementType type, int[] shape, Func<int, long> valueAt)
    {
        int count = Tensor.ElementCountOf(shape);
        return type.Storage switch
        {
            DataType.Int8 or DataType.Int4 or DataType.Int2 => Tensor.Create(type, Fill(count, i => (sbyte)valueAt(i)), shape),
            DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => Tensor.Create(type, Fill(count, i => (byte)valueAt(i)), shape),
            DataType.Int16 => Tensor.Create(type, Fill(count, i => (short)valueAt(i)), shape),
            DataType.UInt16 => Tensor.Create(type, Fill(count, i => (ushort)valueAt(i)), shape),
            DataType.Int32 => Tensor.Create(type, Fill(count, i => (int)valueAt(i)), shape),
            DataType.UInt32 => Tensor.Create(type, Fill(count, i => (uint)valueAt(i)), shape),
            DataType.Int64 => Tensor.Create(type, Fill(count, valueAt), shape),
            DataType.UInt64 => Tensor.Create(type, Fill(count, i => unchecked((ulong)valueAt(i))), shape),
            DataType.Bool => Tensor.Create(type, Fill(count, i => valueAt(i) != 0), shape),
            _ => throw new ArgumentException($"{type} is not an integer type"),
        };
    }

    private static T[] Fill<T>(int count, Func<int, T> valueAt)
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = valueAt(i);
        }
        return values;
    }

    /// <summary>Element <paramref name="index"/> as the language writes it.</summary>
    public static string FormatElement(Tensor tensor, int index) => tensor.DataType switch
    {
        DataType.String => DslNames.FormatString(tensor.Strings[index]),
        DataType.Bool => tensor.Span<bool>()[index] ? "true" : "false",
        DataType.Float64 => FormatDouble(tensor.Span<double>()[index]),
        DataType.Float32 => FormatFloat(tensor.Span<float>()[index]),
        DataType.UInt64 => tensor.Span<ulong>()[index].ToString(CultureInfo.InvariantCulture),
        var t when t.IsFloatingPoint() => FormatFloat((float)tensor.GetDouble(index)),
        _ => tensor.GetInt64(index).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A float that reads back as the same float, always with a '.' or exponent so it never reads as an integer.</summary>
    public static string FormatFloat(float value) => float.IsNaN(value) ? "nan" : float.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
        : WithPoint(value.ToString("R", CultureInfo.InvariantCulture));

    public static string FormatDouble(double value) => double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
        : WithPoint(value.ToString("R", CultureInfo.InvariantCulture));

    private static string WithPoint(string text) =>
        text.Contains('.') || text.Contains('E') || text.Contains('e') ? text : text + ".0";
}
