using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// DequantizeLinear: y = (x - x_zero_point) · x_scale, per tensor, per axis (opset 13) or per block
/// (opset 21), from 2- to 32-bit integers and float8/float4 values; the output has the scale's type
/// unless output_dtype (opset 23) names another.
/// </summary>
public sealed class DequantizeLinear : OpDefinition
{
    public override string Name => "DequantizeLinear";

    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("x").Input("x_scale").Optional("x_zero_point").Output("y")
        .Attr("axis", 1L)
        .Attr("block_size", 0L)
        .Attr("output_dtype", 0L)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var x = context.InputTensorType(0);
        var scale = context.InputTensorType(1);
        // Compared by storage: x may carry a quantised type that names what its int8 mean.
        if (context.HasInput(2) && x is not null && context.InputTensorType(2) is TensorType zeroPoint
            && x.ElementType.Storage != zeroPoint.ElementType.Storage)
        {
            throw new InvalidNodeException($"the zero point is {zeroPoint.ElementType} but x is {x.ElementType}; they must match");
        }
        var element = OutputType(context, scale?.ElementType);
        return element is null ? [null] : [new TensorType(element, x?.Shape ?? Shape.UnknownRank)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var (x, scale, zeroPoint, layout) = LinearQuantizationNode.Read(context);
        var output = OutputType(context, scale.ElementType)!;
        var compute = scale.DataType == DataType.Float64 || output.Storage == DataType.Float64 ? DataType.Float64 : DataType.Float32;
        context.SetOutput(0, LinearQuantization.Dequantize(x, scale, zeroPoint, layout, compute, output));
    }

    /// <summary>The type output_dtype names, else the scale's.</summary>
    private static ElementType? OutputType(OpContext context, ElementType? scaleType) =>
        LinearQuantizationNode.RequestedOutputType(context) ?? scaleType;
}
