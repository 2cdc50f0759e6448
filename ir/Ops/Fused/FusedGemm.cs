namespace Neurite.Ir.Ops;

/// <summary>
/// neurite.FusedGemm: a Gemm and the activation after it as one node (as ONNX Runtime's
/// com.microsoft.FusedGemm). Inputs and attributes are Gemm's, plus <c>activation</c> and
/// <c>activation_params</c> (see <see cref="FusedActivation"/>). Made by the fuse-activations
/// pass; its meaning is exactly Gemm followed by the activation op.
/// </summary>
public sealed class FusedGemm : OpDefinition
{
    private static readonly Gemm Layer = new();

    public override string Name => "FusedGemm";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = FusedActivation.AddAttributes(OpSignature.Create()
            .Input("A").Input("B").Optional("C").Output("Y")
            .Attr("alpha", 1f)
            .Attr("beta", 1f)
            .Attr("transA", 0L)
            .Attr("transB", 0L))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        FusedActivation.Read(context);
        TypeRules.RequireFloat(context, 0);
        return Layer.InferTypes(context);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var (activation, parameters) = FusedActivation.Read(context);
        var layer = new FusedActivation.LayerContext(context, Layer);
        Layer.Evaluate(layer);
        context.SetOutput(0, FusedActivation.Apply(layer.Result!, activation, parameters));
    }
}
