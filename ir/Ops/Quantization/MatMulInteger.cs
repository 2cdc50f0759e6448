using Neurite.Ir.Kernels.Nn;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// MatMulInteger: exact int32 matrix product of (A - a_zero_point) and (B - b_zero_point), numpy
/// broadcasting over batch axes; A's zero point may be per row, B's per column.
/// </summary>
public sealed class MatMulInteger : OpDefinition
{
    public override string Name => "MatMulInteger";

    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("A").Input("B").Optional("a_zero_point").Optional("b_zero_point").Output("Y")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
    [
        new TensorType(ElementType.Int32, MatMul.InferShape(
            context.InputTensorType(0)?.Shape ?? Shape.UnknownRank, context.InputTensorType(1)?.Shape ?? Shape.UnknownRank)),
    ];

    public override void Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var plan = BatchedMatMul.Plan(a.Shape, b.Shape);
        var aValues = IntegerValues.ToInt32(a);
        var bValues = IntegerValues.ToInt32(b);
        IntegerMatMul.SubtractRowZeroPoints(aValues, plan.M, plan.K, IntegerValues.ZeroPoints(context.OptionalInput(2), plan.M, "a_zero_point"));
        IntegerMatMul.SubtractColumnZeroPoints(bValues, plan.N, IntegerValues.ZeroPoints(context.OptionalInput(3), plan.N, "b_zero_point"));
        context.SetOutput(0, Tensor.Create(ElementType.Int32, IntegerMatMul.Multiply(plan, aValues, bValues), plan.OutputShape));
    }
}
