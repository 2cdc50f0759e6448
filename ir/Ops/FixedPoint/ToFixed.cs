using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// Real values into a fixed-point type at the edge of a fixed-point region:
/// y = fit(round(x · 2^F)) with <c>output_type</c>'s rounding (trn, rnd, rnd_conv, trn_zero) and
/// overflow (wrap, sat, sat_sym) into its W bits, as ap_fixed's constructor from a float does.
/// Not QuantizeLinear with a power-of-two scale: that rounds half to even only, saturates to its
/// storage type rather than to W bits, cannot wrap, and before opset 21 knows no int16.
/// </summary>
public sealed class ToFixed : OpDefinition
{
    public override string Name => "ToFixed";
    public override string Domain => OpDomains.Neurite;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("x").Output("y")
        .Attr("output_type", AttributeKind.String, required: true)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var output = FixedPointAttributes.Type(context, "output_type");
        return [context.InputTensorType(0) is { } x ? new TensorType(output, x.Shape) : TypeRules.UnknownShape(output)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        if (!x.DataType.IsFloatingPoint())
        {
            throw new InvalidNodeException($"ToFixed converts real values; got a {x.ElementType} tensor");
        }
        var type = FixedPointAttributes.Type(context, "output_type");
        // Every float type widens to float64 exactly, so one conversion serves them all.
        var values = TensorConvert.Convert(x, DataType.Float64).Span<double>();
        var raw = new long[values.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] = FixedPointConversion.ToRaw(values[i], type);
        }
        context.SetOutput(0, FixedPointTensors.FromRaw(raw, type, x.Shape));
    }
}
