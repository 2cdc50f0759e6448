using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>QONNX BipolarQuant: y = (x ≥ 0 ? 1 : -1) · scale, scale broadcast against x.</summary>
public sealed class BipolarQuant : OpDefinition
{
    public override string Name => "BipolarQuant";
    public override string Domain => OpDomains.Qonnx;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("X").Input("scale").Output("Y")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        return [QonnxShapes.Broadcast(context, 2)];
    }

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, Elementwise.Binary<float, float, SignTimesScale>(
            TensorConvert.ToFloat32(context.Input(0)), TensorConvert.ToFloat32(context.Input(1))));

    private readonly struct SignTimesScale : IBinaryOp<float, float>
    {
        public static float Apply(float x, float scale) => (x >= 0f ? 1f : -1f) * scale;
    }
}
