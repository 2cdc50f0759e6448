using System.Numerics;

namespace Neurite.Ir.Kernels;

/// <summary>A computation generic over the CLR number type; a struct whose fields carry its inputs.</summary>
public interface INumericVisitor<out TResult>
{
    TResult Visit<T>() where T : unmanaged, INumber<T>;
}

/// <summary>A computation generic over the CLR integer type; a struct whose fields carry its inputs.</summary>
public interface IIntegerVisitor<out TResult>
{
    TResult Visit<T>() where T : unmanaged, IBinaryInteger<T>;
}

/// <summary>
/// Calls a visitor with the CLR type of a storage kind: the one place that maps storage kinds to
/// number types. Half types are not numbers here: callers widen them to float32 first (see
/// <see cref="HalfPrecision"/>). <c>opName</c> only names the op in the error message.
/// </summary>
public static class NumericTypeSwitch
{
    public static TResult Visit<TVisitor, TResult>(DataType type, TVisitor visitor, string opName = "the op")
        where TVisitor : struct, INumericVisitor<TResult> => type switch
    {
        DataType.Float32 => visitor.Visit<float>(),
        DataType.Float64 => visitor.Visit<double>(),
        DataType.Int8 => visitor.Visit<sbyte>(),
        DataType.Int16 => visitor.Visit<short>(),
        DataType.Int32 => visitor.Visit<int>(),
        DataType.Int64 => visitor.Visit<long>(),
        DataType.UInt8 => visitor.Visit<byte>(),
        DataType.UInt16 => visitor.Visit<ushort>(),
        DataType.UInt32 => visitor.Visit<uint>(),
        DataType.UInt64 => visitor.Visit<ulong>(),
        _ => throw new InvalidNodeException($"{opName} takes numeric tensors, got {TypeSyntax.Name(type)} elements"),
    };

    public static TResult VisitInteger<TVisitor, TResult>(DataType type, TVisitor visitor, string opName = "the op")
        where TVisitor : struct, IIntegerVisitor<TResult> => type switch
    {
        DataType.Int8 => visitor.Visit<sbyte>(),
        DataType.Int16 => visitor.Visit<short>(),
        DataType.Int32 => visitor.Visit<int>(),
        DataType.Int64 => visitor.Visit<long>(),
        DataType.UInt8 => visitor.Visit<byte>(),
        DataType.UInt16 => visitor.Visit<ushort>(),
        DataType.UInt32 => visitor.Visit<uint>(),
        DataType.UInt64 => visitor.Visit<ulong>(),
        _ => throw new InvalidNodeException($"{opName} takes integer tensors, got {TypeSyntax.Name(type)} elements"),
    };
}
