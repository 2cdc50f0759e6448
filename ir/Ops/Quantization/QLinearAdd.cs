using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// com.microsoft QLinearAdd (ONNX Runtime's contrib op): C = quantize(dequantize(A) + dequantize(B))
/// with numpy broadcasting, per-tensor scales and zero points, computed in float32 as ONNX
/// Runtime's reference kernel does: round_half_even((sa·(a - za) + sb·(b - zb)) / sc) + zc, saturated.
/// </summary>
public sealed class QLinearAdd : OpDefinition
{
    public override string Name => "QLinearAdd";

    public override string Domain => OpDomains.Microsoft;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("A").Input("A_scale").Optional("A_zero_point")
        .Input("B").Input("B_scale").Optional("B_zero_point")
        .Input("C_scale").Optional("C_zero_point").Output("C")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var a = context.InputTensorType(0);
        var b = context.InputTensorType(3);
        if (a is null)
        {
            return [null];
        }
        if (b is not null && a.ElementType.Storage != b.ElementType.Storage)
        {
            throw new InvalidNodeException($"A is {a.ElementType} but B is {b.ElementType}; they must match");
        }
        // The result has its own scale and zero point (C_scale, C_zero_point): plain storage, not A's scheme.
        return [new TensorType(ElementType.Of(a.ElementType.Storage), b is null ? Shape.UnknownRank : Broadcasting.Shape(a.Shape, b.Shape))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var a = Dequantize(context.Input(0), context.Input(1), context.OptionalInput(2), "A");
        var b = Dequantize(context.Input(3), context.Input(4), context.OptionalInput(5), "B");
        var sum = Elementwise.Binary<float, float, Sum<float>>(a, b);
        var scale = IntegerValues.RequireScalar(context.Input(6), "C_scale");
        var zeroPoint = context.OptionalInput(7) is Tensor z ? IntegerValues.RequireScalar(z, "C_zero_point") : null;
        var target = zeroPoint?.DataType ?? context.Input(0).DataType;
        context.SetOutput(0, LinearQuantization.Quantize(sum, scale, zeroPoint, QuantizationLayout.Create(sum.Shape, [], 1, 0),
            target, saturate: true, DataType.Float32));
    }

    private static Tensor Dequantize(Tensor x, Tensor scale, Tensor? zeroPoint, string name)
    {
        IntegerValues.RequireScalar(scale, $"{name}_scale");
        if (zeroPoint is not null)
        {
            IntegerValues.RequireScalar(zeroPoint, $"{name}_zero_point");
        }
        return LinearQuantization.Dequantize(x, scale, zeroPoint, QuantizationLayout.Create(x.Shape, [], 1, 0), DataType.Float32, ElementType.Float32);
    }
}
