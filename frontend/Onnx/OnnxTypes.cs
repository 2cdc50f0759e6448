using Neurite.Frontend.Onnx.Proto;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>Mapping between ONNX type descriptions and the IR's types.</summary>
internal static class OnnxTypes
{
    public static DataType? ToDataType(int onnxType) => OnnxTypeCodes.ToDataType(onnxType);

    public static int FromDataType(DataType type) => (int)OnnxTypeCodes.ToCode(type);

    public static string Describe(int onnxType) =>
        Enum.IsDefined((TensorProto.Types.DataType)onnxType) ? ((TensorProto.Types.DataType)onnxType).ToString().ToUpperInvariant() : $"data type {onnxType}";

    /// <summary>The IR type of an ONNX type, or null when absent; throws <see cref="FormatException"/> when not representable.</summary>
    public static IrType? ToValueType(TypeProto? type)
    {
        if (type is null)
        {
            return null;
        }
        switch (type.ValueCase)
        {
            case TypeProto.ValueOneofCase.TensorType:
                var elem = ToDataType(type.TensorType.ElemType)
                    ?? throw new FormatException($"tensor element type {Describe(type.TensorType.ElemType)} is not supported");
                return new TensorType(ElementType.Of(elem), ToShape(type.TensorType.Shape));
            case TypeProto.ValueOneofCase.SequenceType:
                return ToValueType(type.SequenceType.ElemType) is IrType inner ? new SequenceType(inner) : null;
            case TypeProto.ValueOneofCase.OptionalType:
                return ToValueType(type.OptionalType.ElemType) is IrType optional ? new OptionalType(optional) : null;
            case TypeProto.ValueOneofCase.None:
                return null;
            default:
                throw new FormatException($"values of kind {type.ValueCase} (maps, sparse tensors) are not supported");
        }
    }

    private static Shape ToShape(TensorShapeProto? shape)
    {
        if (shape is null)
        {
            return Shape.UnknownRank;
        }
        return new Shape(shape.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue when d.DimValue >= 0 => Dim.Known(d.DimValue),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when d.DimParam.Length > 0 => Dim.Symbolic(d.DimParam),
            _ => Dim.Unknown,
        }));
    }

    public static TypeProto FromValueType(IrType type)
    {
        switch (type)
        {
            case TensorType t:
                var tensor = new TypeProto.Types.Tensor { ElemType = FromDataType(ExportStorage(t.ElementType)) };
                if (t.Shape.IsRankKnown)
                {
                    tensor.Shape = new TensorShapeProto();
                    foreach (var dim in t.Shape.Dims)
                    {
                        var d = new TensorShapeProto.Types.Dimension();
                        if (dim.IsKnown)
                        {
                            d.DimValue = dim.Value;
                        }
                        else if (dim.Symbol is string symbol)
                        {
                            d.DimParam = symbol;
                        }
                        tensor.Shape.Dim.Add(d);
                    }
                }
                return new TypeProto { TensorType = tensor };
            case SequenceType s:
                return new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = FromValueType(s.ElementType) } };
            case OptionalType o:
                return new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = FromValueType(o.ElementType) } };
            default:
                throw new ArgumentException($"cannot describe {type} in ONNX");
        }
    }

    /// <summary>
    /// The ONNX element type for an IR element type. Quantised and fixed-point types have no
    /// ONNX element type of their own; exporting them as QDQ is the quantisation layer's job,
    /// except where a TensorProto or ValueInfoProto carries a fixed-point type as its storage with
    /// the type annotated (<see cref="ElementTypeAnnotation"/>).
    /// </summary>
    public static DataType ExportStorage(ElementType type) => type switch
    {
        ScalarType s => s.Kind,
        _ => throw new NotSupportedException($"{type} has no ONNX element type; lower quantised and fixed-point tensors to QuantizeLinear/DequantizeLinear before export"),
    };
}
