using System.Numerics.Tensors;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// QLinearConv: int32 convolution of the zero-point-shifted 8-bit input and weights (w per tensor
/// or per output channel), plus the int32 bias, requantised to y's scale and zero point with
/// rounding half to even and saturation.
/// </summary>
public sealed class QLinearConv : OpDefinition
{
    public override string Name => "QLinearConv";

    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = ConvGeometry.AddAttributes(OpSignature.Create()
        .Input("x").Input("x_scale").Input("x_zero_point")
        .Input("w").Input("w_scale").Input("w_zero_point")
        .Input("y_scale").Input("y_zero_point").Optional("B").Output("y"))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        [IntegerConvolutionNode.InferOutput(context, 0, 3, context.InputTensorType(7)?.ElementType)];

    public override void Evaluate(EvaluationContext context)
    {
        var w = context.Input(3);
        var (accumulators, shape) = IntegerConvolutionNode.Accumulate(context, context.Input(0), context.Input(2), w, context.Input(5));
        int channels = w.Dim(0);
        int rowLength = shape.Length == 0 ? 0 : Tensor.ElementCountOf(shape.AsSpan(2));
        if (context.OptionalInput(8) is Tensor bias)
        {
            AddBias(accumulators, IntegerValues.ZeroPoints(bias, channels, "B"), channels, rowLength);
        }
        var scaleType = context.Input(1).DataType;
        float xScale = IntegerValues.Scale(context.Input(1), "x_scale");
        float yScale = IntegerValues.Scale(context.Input(6), "y_scale");
        var multipliers = IntegerValues.Scales(context.Input(4), channels, "w_scale")
            .Select(wScale => Requantization.Multiplier(xScale, wScale, yScale, scaleType)).ToArray();
        var yZeroPoint = IntegerValues.RequireScalar(context.Input(7), "y_zero_point");
        var zeroPoints = IntegerValues.ZeroPoints(yZeroPoint, channels, "y_zero_point");
        context.SetOutput(0, Requantization.Rows(accumulators, rowLength, multipliers, zeroPoints, yZeroPoint.ElementType, shape));
    }

    private static void AddBias(int[] accumulators, int[] bias, int channels, int rowLength)
    {
        for (int start = 0, row = 0; start < accumulators.Length; start += rowLength, row++)
        {
            TensorPrimitives.Add(accumulators.AsSpan(start, rowLength), bias[row % channels], accumulators.AsSpan(start, rowLength));
        }
    }
}
