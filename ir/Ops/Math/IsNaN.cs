using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>IsNaN: true where an element is NaN; any float type, the 8-bit ones included.</summary>
public sealed class IsNaN : OpDefinition
{
    public override string Name => "IsNaN";

    public override int SinceVersion => 9;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("X").Output("Y").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) =>
        [context.InputTensorType(0) is TensorType x ? new TensorType(ElementType.Bool, x.Shape) : null];

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var result = GC.AllocateUninitializedArray<bool>(x.Length);
        if (x.DataType == DataType.Float64)
        {
            var values = x.Span<double>();
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = double.IsNaN(values[i]);
            }
        }
        else
        {
            var values = FloatElements.Of(x, Name);
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = float.IsNaN(values[i]);
            }
        }
        context.SetOutput(0, Tensor.Create(ElementType.Bool, result, x.Shape));
    }
}
