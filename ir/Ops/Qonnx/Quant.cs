using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Qonnx;

namespace Neurite.Ir.Ops;

/// <summary>
/// QONNX Quant (renamed IntQuant in later QONNX versions, which <see cref="IntQuant"/> accepts):
/// uniform fake quantisation onto a grid of <c>bitwidth</c> bits, in float32 as the
/// specification's reference computes it:
/// <code>
///   q = round(clamp(x / scale + zeropt, min_int, max_int))     (clamp first, then round)
///   y = (q - zeropt) * scale
/// </code>
/// scale and zeropt broadcast against x (per tensor or per channel). A signed 1-bit Quant is
/// bipolar (x/scale + zeropt ≥ 0 → 1, else -1), as QONNX executes it.
/// </summary>
public class Quant : OpDefinition
{
    public override string Name => "Quant";
    public override string Domain => OpDomains.Qonnx;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("X").Input("scale").Input("zeropt").Input("bitwidth").Output("Y")
        .Attr("signed", 1L)
        .Attr("narrow", 0L)
        .Attr("rounding_mode", "ROUND")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        IntegerGrid.ParseRounding(context.String("rounding_mode"));
        return [QonnxShapes.Broadcast(context, 3)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = TensorConvert.ToFloat32(context.Input(0));
        var scale = TensorConvert.ToFloat32(context.Input(1));
        var zeroPoint = TensorConvert.ToFloat32(context.Input(2));
        int bits = IntegerGrid.BitWidth(context.Input(3), "bitwidth");
        bool signed = context.Int("signed") != 0;
        bool narrow = context.Int("narrow") != 0;
        var rounding = IntegerGrid.ParseRounding(context.String("rounding_mode"));

        var shape = Broadcasting.Shape(x.ShapeArray(), scale.ShapeArray(), zeroPoint.ShapeArray());
        var y = GC.AllocateUninitializedArray<float>(Tensor.ElementCountOf(shape));
        var rows = new QuantRows(x.Span<float>(), scale.Span<float>(), zeroPoint.Span<float>(), y,
            (float)IntegerGrid.Min(signed, narrow, bits), (float)IntegerGrid.Max(signed, narrow, bits),
            rounding, Bipolar: bits == 1 && signed);
        BroadcastWalk.Run(shape, [x.ShapeArray(), scale.ShapeArray(), zeroPoint.ShapeArray()], ref rows);
        context.SetOutput(0, Tensor.Create(y, shape));
    }

    private readonly ref struct QuantRows(
        ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, Span<float> y,
        float min, float max, QonnxRounding rounding, bool Bipolar) : IRowVisitor
    {
        private readonly ReadOnlySpan<float> x = x, scale = scale, zeroPoint = zeroPoint;
        private readonly Span<float> y = y;

        public void Row(int outputOffset, int length, scoped ReadOnlySpan<int> inputOffsets, scoped ReadOnlySpan<int> innerStrides)
        {
            for (int j = 0; j < length; j++)
            {
                float s = scale[inputOffsets[1] + j * innerStrides[1]];
                float z = zeroPoint[inputOffsets[2] + j * innerStrides[2]];
                float q = x[inputOffsets[0] + j * innerStrides[0]] / s + z;
                q = Bipolar ? (q >= 0f ? 1f : -1f) : IntegerGrid.Round(Math.Clamp(q, min, max), rounding);
                y[outputOffset + j] = (q - z) * s;
            }
        }
    }
}

/// <summary>QONNX IntQuant: the name later QONNX versions give <see cref="Quant"/>, with the same meaning.</summary>
public sealed class IntQuant : Quant
{
    public override string Name => "IntQuant";
}
