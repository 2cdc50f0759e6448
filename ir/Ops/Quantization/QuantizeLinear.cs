using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// QuantizeLinear: y = saturate(round_half_even(x / y_scale) + y_zero_point), per tensor, per axis
/// (opset 13) or per block (opset 21); float8 targets with saturate (opset 19), 4-bit (21) and
/// 2-bit (25) integers, output_dtype when there is no zero point (21), precision of the division (23).
/// </summary>
public sealed class QuantizeLinear : OpDefinition
{
    public override string Name => "QuantizeLinear";

    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("x").Input("y_scale").Optional("y_zero_point").Output("y")
        .Attr("axis", 1L)
        .Attr("saturate", 1L)
        .Attr("block_size", 0L)
        .Attr("output_dtype", 0L)
        .Attr("precision", 0L)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var element = OutputType(context, context.HasInput(2) ? context.InputTensorType(2)?.ElementType : null, context.HasInput(2));
        var x = context.InputTensorType(0);
        return element is null ? [null] : [new TensorType(element, x?.Shape ?? Shape.UnknownRank)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var (x, scale, zeroPoint, layout) = LinearQuantizationNode.Read(context);
        var target = OutputType(context, zeroPoint?.ElementType, zeroPoint is not null)!;
        bool saturate = context.Int("saturate") != 0;
        context.SetOutput(0, LinearQuantization.Quantize(x, scale, zeroPoint, layout, target.Storage, saturate,
            DivisionType(context, x.DataType, scale.DataType)));
    }

    /// <summary>The zero point's type; else output_dtype; else uint8. Null when there is a zero point of unknown type and no output_dtype.</summary>
    private static ElementType? OutputType(OpContext context, ElementType? zeroPointType, bool hasZeroPoint)
    {
        var named = LinearQuantizationNode.RequestedOutputType(context);
        if (hasZeroPoint)
        {
            if (zeroPointType is not null && named is not null && !named.Equals(zeroPointType))
            {
                throw new InvalidNodeException($"output_dtype asks for {named} but the zero point is {zeroPointType}");
            }
            return zeroPointType ?? named;
        }
        return named ?? ElementType.UInt8;
    }

    /// <summary>The precision attribute when given; else the type numpy's promotion of x and y_scale gives.</summary>
    private static DataType DivisionType(OpContext context, DataType x, DataType scale)
    {
        long precision = context.Int("precision");
        if (precision != 0)
        {
            return OnnxTypeCodes.Require(precision, "precision").Storage;
        }
        if (x is DataType.Float64 or DataType.Int32 || scale == DataType.Float64)
        {
            return DataType.Float64;
        }
        return x == scale && x is (DataType.Float16 or DataType.BFloat16) ? x : DataType.Float32;
    }
}
