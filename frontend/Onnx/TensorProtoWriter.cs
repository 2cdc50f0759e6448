using System.Text;
using Google.Protobuf;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>Writes tensors as ONNX TensorProtos: raw little-endian data, sub-byte types packed, strings as string_data, fixed point as its storage with its type annotated.</summary>
internal static class TensorProtoWriter
{
    public static TensorProto Write(Tensor tensor, string name)
    {
        var storage = ElementTypeAnnotation.Storage(tensor.ElementType);
        var proto = new TensorProto { Name = name, DataType = OnnxTypes.FromDataType(storage) };
        ElementTypeAnnotation.Write(tensor.ElementType, proto.MetadataProps);
        foreach (int d in tensor.Shape)
        {
            proto.Dims.Add(d);
        }
        if (storage == DataType.String)
        {
            foreach (var s in tensor.Strings)
            {
                proto.StringData.Add(ByteString.CopyFrom(s, Encoding.UTF8));
            }
            return proto;
        }
        proto.RawData = storage.BitWidth() < 8 ? ByteString.CopyFrom(Pack(tensor)) : ByteString.CopyFrom(tensor.Bytes);
        return proto;
    }

    private static byte[] Pack(Tensor tensor)
    {
        int bits = tensor.DataType.BitWidth();
        int perByte = 8 / bits;
        int mask = (1 << bits) - 1;
        var packed = new byte[TensorProtoReader.PackedByteLength(tensor.DataType, tensor.Length)];
        var values = tensor.Bytes;
        for (int i = 0; i < tensor.Length; i++)
        {
            packed[i / perByte] |= (byte)((values[i] & mask) << (bits * (i % perByte)));
        }
        return packed;
    }

    /// <summary>Writes a tensor to a standalone <c>.pb</c> file.</summary>
    public static void WriteFile(Tensor tensor, string name, string path)
    {
        using var stream = File.Create(path);
        Write(tensor, name).WriteTo(stream);
    }
}
