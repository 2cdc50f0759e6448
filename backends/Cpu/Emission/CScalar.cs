using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// An element type as the emitted C stores it: the C type, its size and the short name the
/// manifest records. Quantised tensors are stored as their plain integer type (a qi8 is an
/// <c>int8_t</c>): the scale and zero point are compile-time constants of the kernels.
/// </summary>
public sealed record CScalar(string Name, int Size, string ManifestName, long Min, long Max)
{
    public static readonly CScalar Float = new("float", 4, "f32", long.MinValue, long.MaxValue);
    public static readonly CScalar Int8 = new("int8_t", 1, "i8", sbyte.MinValue, sbyte.MaxValue);
    public static readonly CScalar UInt8 = new("uint8_t", 1, "u8", byte.MinValue, byte.MaxValue);
    public static readonly CScalar Int16 = new("int16_t", 2, "i16", short.MinValue, short.MaxValue);
    public static readonly CScalar UInt16 = new("uint16_t", 2, "u16", ushort.MinValue, ushort.MaxValue);
    public static readonly CScalar Int32 = new("int32_t", 4, "i32", int.MinValue, int.MaxValue);

    public bool IsInteger => this != Float;

    /// <summary>
    /// True for the character types (int8_t, uint8_t), whose accesses may alias any other type:
    /// arena bytes that change between them and another type need no ordering barrier.
    /// </summary>
    public bool IsCharacter => Size == 1;

    /// <summary>The C type of a storage type, or null when the CPU target does not emit it.</summary>
    public static CScalar? Of(DataType type) => type switch
    {
        DataType.Float32 => Float,
        DataType.Int8 => Int8,
        DataType.UInt8 => UInt8,
        DataType.Int16 => Int16,
        DataType.UInt16 => UInt16,
        DataType.Int32 => Int32,
        _ => null,
    };

    /// <summary>An integer literal of this type that reads back exactly (INT32_MIN has no literal of its own in C).</summary>
    public static string IntLiteral(long value) => value == int.MinValue ? "(-2147483647 - 1)" : CLiteral.Int(value);
}
