namespace Neurite.Ir.Ops;

/// <summary>
/// neurite.FusedConv: a Conv and the activation after it as one node, so a target can apply the
/// activation in the convolution's output loop instead of a second pass over memory (as ONNX
/// Runtime's com.microsoft.FusedConv). Inputs and attributes are Conv's, plus <c>activation</c>
/// and <c>activation_params</c> (see <see cref="FusedActivation"/>). Made by the
/// fuse-activations pass; its meaning is exactly Conv followed by the activation op.
/// </summary>
public sealed class FusedConv : OpDefinition
{
    private static readonly Conv Layer = new();

    public override string Name => "FusedConv";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = FusedActivation.AddAttributes(OpSignature.Create()
            .Input("X").Input("W").Optional("B").Output("Y")
            .Attr("auto_pad", "NOTSET")
            .Attr("dilations", AttributeKind.Ints)
            .Attr("group", 1L)
            .Attr("kernel_shape", AttributeKind.Ints)
            .Attr("pads", AttributeKind.Ints)
            .Attr("strides", AttributeKind.Ints))
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        FusedActivation.Read(context);
        TypeRules.RequireFloat(context, 0);
        return [ConvShapes.Infer(context, transposed: false)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var (activation, parameters) = FusedActivation.Read(context);
        var layer = new FusedActivation.LayerContext(context, Layer);
        Layer.Evaluate(layer);
        context.SetOutput(0, FusedActivation.Apply(layer.Result!, activation, parameters));
    }
}
