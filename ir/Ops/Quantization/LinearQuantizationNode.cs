using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>What QuantizeLinear and DequantizeLinear share: reading (x, scale, zero point) and the attributes that place the parameters over x.</summary>
internal static class LinearQuantizationNode
{
    /// <summary>
    /// Inputs 0 to 2 and how the scale and zero point map onto x: axis counts from opset 13 and
    /// block_size from opset 21; before that the parameters are per tensor.
    /// </summary>
    public static (Tensor X, Tensor Scale, Tensor? ZeroPoint, QuantizationLayout Layout) Read(EvaluationContext context)
    {
        var x = context.Input(0);
        var scale = context.Input(1);
        var zeroPoint = context.OptionalInput(2);
        if (zeroPoint is not null)
        {
            QuantizationLayout.CheckZeroPointShape(scale.Shape, zeroPoint.Shape);
        }
        var layout = QuantizationLayout.Create(x.Shape, scale.Shape,
            context.Opset >= 13 ? context.Int("axis") : 1, context.Opset >= 21 ? context.Int("block_size") : 0);
        return (x, scale, zeroPoint, layout);
    }

    /// <summary>The type the output_dtype attribute names, or null when it is 0 (not given).</summary>
    public static ElementType? RequestedOutputType(OpContext context)
    {
        long code = context.Int("output_dtype");
        return code != 0 ? OnnxTypeCodes.Require(code, "output_dtype") : null;
    }
}
