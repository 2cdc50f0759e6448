using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Raw fixed-point values of <c>input_type</c> back to real values (float32) at the edge of a
/// fixed-point region: y = x · 2^-F, exact while W ≤ 24 (float32's significand), the nearest
/// float32 beyond. DequantizeLinear could compute the same for int8 and int32 storage, but before
/// opset 21 not for int16, and it would leave the fixed-point type out of the node.
/// </summary>
public sealed class FromFixed : OpDefinition
{
    public override string Name => "FromFixed";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("x").Output("y")
        .Attr("input_type", AttributeKind.String, required: true)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var input = FixedPointAttributes.Type(context, "input_type");
        FixedPointAttributes.CheckInput(context, 0, input, "input_type");
        return [context.InputTensorType(0) is { } x ? new TensorType(ElementType.Float32, x.Shape) : TypeRules.UnknownShape(ElementType.Float32)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var type = FixedPointAttributes.Type(context, "input_type");
        var raw = FixedPointTensors.Raw(x);
        var y = new float[raw.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (float)FixedPointConversion.ToReal(raw[i], type);
        }
        context.SetOutput(0, Tensor.Create(y, x.ShapeArray()));
    }
}
