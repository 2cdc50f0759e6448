using Neurite.Ir.Kernels.Nn;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// QLinearMatMul: int32 product of the zero-point-shifted 8-bit operands (a per tensor or per
/// row, b per tensor or per column), requantised to y's scale and zero point with rounding half
/// to even and saturation. Scales may be float32, float16 or bfloat16 (opset 21).
/// </summary>
public sealed class QLinearMatMul : OpDefinition
{
    public override string Name => "QLinearMatMul";

    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("a").Input("a_scale").Input("a_zero_point")
        .Input("b").Input("b_scale").Input("b_zero_point")
        .Input("y_scale").Input("y_zero_point").Output("y")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        if (context.InputTensorType(7)?.ElementType is not ElementType element)
        {
            return [null];
        }
        return [new TensorType(element, MatMul.InferShape(
            context.InputTensorType(0)?.Shape ?? Shape.UnknownRank, context.InputTensorType(3)?.Shape ?? Shape.UnknownRank))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(3);
        var plan = BatchedMatMul.Plan(a.Shape, b.Shape);
        var aValues = IntegerValues.ToInt32(a);
        var bValues = IntegerValues.ToInt32(b);
        IntegerMatMul.SubtractRowZeroPoints(aValues, plan.M, plan.K, IntegerValues.ZeroPoints(context.Input(2), plan.M, "a_zero_point"));
        IntegerMatMul.SubtractColumnZeroPoints(bValues, plan.N, IntegerValues.ZeroPoints(context.Input(5), plan.N, "b_zero_point"));
        var accumulators = IntegerMatMul.Multiply(plan, aValues, bValues);

        var scaleType = context.Input(1).DataType;
        var aScales = IntegerValues.Scales(context.Input(1), plan.M, "a_scale");
        var bScales = IntegerValues.Scales(context.Input(4), plan.N, "b_scale");
        float yScale = IntegerValues.Scale(context.Input(6), "y_scale");
        var yZeroPoint = IntegerValues.RequireScalar(context.Input(7), "y_zero_point");
        var range = Requantization.Range(yZeroPoint.ElementType);
        int zeroPoint = IntegerValues.ToInt32(yZeroPoint)[0];
        var multipliers = new float[plan.N];
        float current = float.NaN;
        for (int start = 0, row = 0; start < accumulators.Length; start += plan.N, row++)
        {
            // The multipliers depend on the row only through a's scale: recompute them when it changes.
            float aScale = aScales[row % plan.M];
            if (!aScale.Equals(current))
            {
                current = aScale;
                for (int column = 0; column < plan.N; column++)
                {
                    multipliers[column] = Requantization.Multiplier(aScale, bScales[column], yScale, scaleType);
                }
            }
            Requantization.Requantize(accumulators.AsSpan(start, plan.N), multipliers, zeroPoint, range);
        }
        context.SetOutput(0, Requantization.ToTensor(accumulators, yZeroPoint.ElementType, plan.OutputShape));
    }
}
