using Google.Protobuf.Collections;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>
/// Fixed-point element types in ONNX files. ONNX has no fixed-point element type, so a
/// fixed&lt;W,I&gt; tensor or value is written as the integers it is stored in (fixed&lt;16,6&gt; as
/// int16), its type in the type syntax in the TensorProto's or ValueInfoProto's metadata_props
/// under <see cref="Key"/>; reading restores it. The raw integers and the neurite-domain ops'
/// type attributes are all a program needs to compute the same bits; the annotation keeps the
/// model itself whole, so a fixed-point model exported and re-imported is the model it was
/// (weights and declared values still fixed point, as the Neurite language keeps them). A tool
/// that ignores metadata_props sees plain integer tensors.
/// </summary>
internal static class ElementTypeAnnotation
{
    public const string Key = "neurite.element_type";

    /// <summary>What an IR element type is written as: its own ONNX type, or a fixed-point type's storage.</summary>
    public static DataType Storage(ElementType type) => type is FixedPointType fixedPoint ? fixedPoint.Storage : OnnxTypes.ExportStorage(type);

    /// <summary>Records a fixed-point element type beside its storage; other types need nothing.</summary>
    public static void Write(ElementType type, RepeatedField<StringStringEntryProto> metadata)
    {
        if (type is FixedPointType)
        {
            metadata.Add(new StringStringEntryProto { Key = Key, Value = TypeSyntax.Format(type) });
        }
    }

    /// <summary>
    /// The element type <paramref name="metadata"/> records for a value stored as <paramref name="stored"/>,
    /// or <paramref name="stored"/> itself without a record; throws <see cref="FormatException"/> for a
    /// record that is not a fixed-point type or not stored in <paramref name="stored"/>.
    /// </summary>
    public static ElementType Read(RepeatedField<StringStringEntryProto> metadata, ElementType stored)
    {
        var entry = metadata.LastOrDefault(m => m.Key == Key);
        if (entry is null)
        {
            return stored;
        }
        ElementType annotated;
        try
        {
            annotated = TypeSyntax.ParseElementType(entry.Value);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{Key} \"{entry.Value}\" is not a type: {e.Message}");
        }
        if (annotated is not FixedPointType fixedPoint)
        {
            throw new FormatException($"{Key} \"{entry.Value}\" is not a fixed-point type");
        }
        if (fixedPoint.Storage != stored.Storage || stored is not ScalarType)
        {
            throw new FormatException($"{Key} says {entry.Value}, which is stored as {TypeSyntax.Name(fixedPoint.Storage)}, but the value is {stored}");
        }
        return fixedPoint;
    }
}
