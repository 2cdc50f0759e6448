using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>IsInf: true where an element is an infinity of a sign the attributes ask for; any float type.</summary>
public sealed class IsInf : OpDefinition
{
    public override string Name => "IsInf";

    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("X").Output("Y").Attr("detect_negative", 1L).Attr("detect_positive", 1L).Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        [context.InputTensorType(0) is TensorType x ? new TensorType(ElementType.Bool, x.Shape) : null];

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        bool negative = context.Int("detect_negative") != 0;
        bool positive = context.Int("detect_positive") != 0;
        var result = GC.AllocateUninitializedArray<bool>(x.Length);
        if (x.DataType == DataType.Float64)
        {
            var values = x.Span<double>();
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (positive && double.IsPositiveInfinity(values[i])) || (negative && double.IsNegativeInfinity(values[i]));
            }
        }
        else
        {
            var values = FloatElements.Of(x, Name);
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (positive && float.IsPositiveInfinity(values[i])) || (negative && float.IsNegativeInfinity(values[i]));
            }
        }
        context.SetOutput(0, Tensor.Create(ElementType.Bool, result, x.Shape));
    }
}
