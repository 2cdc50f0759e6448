using System.Text;
using Google.Protobuf;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>
/// Turns an ONNX TensorProto into a <see cref="Tensor"/>. raw_data is borrowed, not copied;
/// external data is memory-mapped on first access; typed fields (float_data, int32_data, ...)
/// are converted once. Malformed tensors (wrong element counts, unknown types) raise a
/// diagnostic naming the tensor.
/// </summary>
internal sealed class TensorProtoReader(ExternalDataPolicy? externalData)
{
    public Tensor Read(TensorProto proto, string? nameHint = null)
    {
        string name = proto.Name.Length > 0 ? proto.Name : nameHint ?? "<unnamed>";
        var type = OnnxTypes.ToDataType(proto.DataType)
            ?? throw Malformed(name, $"element type {OnnxTypes.Describe(proto.DataType)} is not supported");
        if (proto.Segment is not null)
        {
            throw Malformed(name, "segmented tensors are not supported");
        }
        int[] shape;
        try
        {
            shape = proto.Dims.Select(d => d is < 0 or > int.MaxValue ? throw new OverflowException() : (int)d).ToArray();
            _ = Tensor.ElementCountOf(shape);
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            throw Malformed(name, $"shape [{string.Join(", ", proto.Dims)}] is not a valid tensor shape");
        }
        int count = Tensor.ElementCountOf(shape);
        var element = ElementType.Of(type);

        var tensor = proto.DataLocation == TensorProto.Types.DataLocation.External ? ReadExternal(proto, name, element, shape, count)
            : proto.HasRawData ? FromRaw(name, element, shape, count, proto.RawData.Memory)
            : FromTypedFields(proto, name, element, shape, count);
        if (proto.MetadataProps.Count == 0)
        {
            return tensor;
        }
        try
        {
            return tensor.WithElementType(ElementTypeAnnotation.Read(proto.MetadataProps, tensor.ElementType));
        }
        catch (FormatException e)
        {
            throw Malformed(name, e.Message);
        }
    }

    private Tensor ReadExternal(TensorProto proto, string name, ElementType element, int[] shape, int count)
    {
        if (externalData is null)
        {
            throw Malformed(name, "it keeps its data in an external file, but no model folder is known to resolve it");
        }
        var keys = proto.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        string location = keys.GetValueOrDefault("location") ?? throw Malformed(name, "external data without a location");
        long offset = keys.TryGetValue("offset", out var o) && long.TryParse(o, out long off) ? off : 0;
        long needed = PackedByteLength(element.Storage, count);
        long length = keys.TryGetValue("length", out var l) && long.TryParse(l, out long len) ? len : -1;
        string path = externalData.Resolve(location, name);
        long fileLength = new FileInfo(path).Length;
        if (length < 0)
        {
            length = needed;
        }
        if (offset < 0 || length != needed || offset + length > fileLength)
        {
            throw Malformed(name, $"external data at offset {offset}, length {length} does not fit: the tensor needs {needed} bytes and '{location}' has {fileLength}");
        }
        if (element.Storage == DataType.String)
        {
            throw Malformed(name, "string tensors cannot be stored externally");
        }
        var memory = new MappedFileMemory(path, offset, checked((int)length)).Memory;
        return FromRaw(name, element, shape, count, memory);
    }

    private static Tensor FromRaw(string name, ElementType element, int[] shape, int count, ReadOnlyMemory<byte> raw)
    {
        var storage = element.Storage;
        if (storage == DataType.String)
        {
            throw Malformed(name, "string tensors cannot use raw_data");
        }
        long needed = PackedByteLength(storage, count);
        if (raw.Length != needed)
        {
            throw Malformed(name, $"raw_data holds {raw.Length} bytes, shape [{string.Join(", ", shape)}] of {TypeSyntax.Name(storage)} needs {needed}");
        }
        if (storage.BitWidth() < 8)
        {
            return Unpack(element, shape, count, raw.Span);
        }
        if (storage == DataType.Bool)
        {
            // Any non-zero byte is true; normalise so bool spans only ever hold 0 and 1.
            var bools = new bool[count];
            var bytes = raw.Span;
            for (int i = 0; i < count; i++)
            {
                bools[i] = bytes[i] != 0;
            }
            return Tensor.Create(element, bools, shape);
        }
        return Tensor.FromBytes(element, raw, shape);
    }

    /// <summary>Bytes a packed file representation takes: two 4-bit or four 2-bit elements per byte.</summary>
    internal static long PackedByteLength(DataType storage, int count) => storage.BitWidth() switch
    {
        4 => (count + 1) / 2,
        2 => (count + 3) / 4,
        _ => (long)count * storage.ByteSize(),
    };

    private static Tensor Unpack(ElementType element, int[] shape, int count, ReadOnlySpan<byte> packed)
    {
        var storage = element.Storage;
        int bits = storage.BitWidth();
        int perByte = 8 / bits;
        int mask = (1 << bits) - 1;
        bool signed = storage.IsSignedInteger();
        if (signed)
        {
            var values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                int v = (packed[i / perByte] >> (bits * (i % perByte))) & mask;
                values[i] = (sbyte)(v >= 1 << (bits - 1) ? v - (1 << bits) : v);
            }
            return Tensor.Create(element, values, shape);
        }
        var unsigned = new byte[count];
        for (int i = 0; i < count; i++)
        {
            unsigned[i] = (byte)((packed[i / perByte] >> (bits * (i % perByte))) & mask);
        }
        return Tensor.Create(element, unsigned, shape);
    }

    private static Tensor FromTypedFields(TensorProto proto, string name, ElementType element, int[] shape, int count)
    {
        var storage = element.Storage;
        void Expect(int given, int needed)
        {
            if (given != needed)
            {
                throw Malformed(name, $"it has {given} values but shape [{string.Join(", ", shape)}] needs {needed}");
            }
        }
        switch (storage)
        {
            case DataType.Float32:
                Expect(proto.FloatData.Count, count);
                return Tensor.Create(element, proto.FloatData.ToArray(), shape);
            case DataType.Float64:
                Expect(proto.DoubleData.Count, count);
                return Tensor.Create(element, proto.DoubleData.ToArray(), shape);
            case DataType.Int64:
                Expect(proto.Int64Data.Count, count);
                return Tensor.Create(element, proto.Int64Data.ToArray(), shape);
            case DataType.UInt64:
                Expect(proto.Uint64Data.Count, count);
                return Tensor.Create(element, proto.Uint64Data.ToArray(), shape);
            case DataType.UInt32:
                Expect(proto.Uint64Data.Count, count);
                return Tensor.Create(element, proto.Uint64Data.Select(v => (uint)v).ToArray(), shape);
            case DataType.String:
                Expect(proto.StringData.Count, count);
                return Tensor.CreateStrings(proto.StringData.Select(s => Encoding.UTF8.GetString(s.Span)).ToArray(), shape);
            case DataType.Int32:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.ToArray(), shape);
            case DataType.Int16:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => (short)v).ToArray(), shape);
            case DataType.Int8:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => (sbyte)v).ToArray(), shape);
            case DataType.UInt16:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => (ushort)v).ToArray(), shape);
            case DataType.UInt8:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => (byte)v).ToArray(), shape);
            case DataType.Bool:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => v != 0).ToArray(), shape);
            case DataType.Float16:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(), shape);
            case DataType.BFloat16:
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => BFloat16.FromBits((ushort)v)).ToArray(), shape);
            default:
                if (storage.BitWidth() < 8)
                {
                    // Sub-byte types: each int32 entry carries one packed byte.
                    int bytes = (int)PackedByteLength(storage, count);
                    Expect(proto.Int32Data.Count, bytes);
                    return Unpack(element, shape, count, proto.Int32Data.Select(v => (byte)v).ToArray());
                }
                // 8-bit floats: each int32 entry carries one bit pattern.
                Expect(proto.Int32Data.Count, count);
                return Tensor.Create(element, proto.Int32Data.Select(v => (byte)v).ToArray(), shape);
        }
    }

    private static NeuriteException Malformed(string name, string problem) =>
        new("onnx.tensor", $"tensor '{name}' is malformed: {problem}");

    /// <summary>Reads a standalone serialised TensorProto (a <c>.pb</c> file).</summary>
    public static Tensor ReadFile(string path)
    {
        TensorProto proto;
        try
        {
            using var stream = File.OpenRead(path);
            proto = TensorProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new NeuriteException("onnx.tensor", $"{path} is not a serialised ONNX TensorProto: {e.Message}");
        }
        return new TensorProtoReader(new ExternalDataPolicy(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".")).Read(proto, Path.GetFileNameWithoutExtension(path));
    }
}
