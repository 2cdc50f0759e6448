using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Qonnx;

namespace Neurite.Ir.Ops;

/// <summary>
/// QONNX Trunc: drops low-order bits of a quantised value, in float32 as the specification's
/// reference computes it. Version 2 (inputs X, scale, zeropt, in_bitwidth, out_scale, out_bitwidth;
/// QONNX's own code also writes an unused out_zeropt before out_bitwidth):
/// <code>
///   t = 2^round(log2(out_scale / scale))
///   q = clamp(round_half_even(x / scale + zeropt) / t, min_int, max_int)    (grid of out_bitwidth)
///   y = (round_mode(q) - zeropt / t) · out_scale
/// </code>
/// Version 1 (inputs X, scale, zeropt, in_bitwidth, out_bitwidth): t = 2^(in_bitwidth - out_bitwidth),
/// no clamp, y = (round_mode(q) - zeropt) · scale.
/// </summary>
public sealed class Trunc : OpDefinition
{
    public override string Name => "Trunc";
    public override string Domain => OpDomains.Qonnx;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("X").Input("scale").Input("zeropt").Input("in_bitwidth").Input("out_scale_or_bitwidth")
        .Optional("out_bitwidth_or_zeropt").Optional("out_bitwidth")
        .Output("Y")
        .Attr("rounding_mode", "FLOOR")
        .Attr("signed", 1L)
        .Attr("narrow", 0L)
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
        var rounding = IntegerGrid.ParseRounding(context.String("rounding_mode"));
        bool version1 = context.InputCount == 5;
        var outScale = version1 ? scale : TensorConvert.ToFloat32(context.Input(4));
        int outBits = IntegerGrid.BitWidth(context.Input(context.InputCount - 1), "out_bitwidth");
        float truncScale = version1
            ? MathF.Pow(2f, IntegerGrid.BitWidth(context.Input(3), "in_bitwidth") - outBits)
            : float.NaN;
        bool signed = context.Int("signed") != 0, narrow = context.Int("narrow") != 0;
        float min = version1 ? float.NegativeInfinity : (float)IntegerGrid.Min(signed, narrow, outBits);
        float max = version1 ? float.PositiveInfinity : (float)IntegerGrid.Max(signed, narrow, outBits);

        int[][] shapes = [x.ShapeArray(), scale.ShapeArray(), zeroPoint.ShapeArray(), outScale.ShapeArray()];
        var shape = Broadcasting.Shape(shapes);
        var y = GC.AllocateUninitializedArray<float>(Tensor.ElementCountOf(shape));
        var rows = new TruncRows(x.Span<float>(), scale.Span<float>(), zeroPoint.Span<float>(), outScale.Span<float>(), y,
            truncScale, min, max, rounding, version1);
        BroadcastWalk.Run(shape, shapes, ref rows);
        context.SetOutput(0, Tensor.Create(y, shape));
    }

    private readonly ref struct TruncRows(
        ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> zeroPoint, ReadOnlySpan<float> outScale,
        Span<float> y, float fixedTruncScale, float min, float max, QonnxRounding rounding, bool version1) : IRowVisitor
    {
        private readonly ReadOnlySpan<float> x = x, scale = scale, zeroPoint = zeroPoint, outScale = outScale;
        private readonly Span<float> y = y;

        public void Row(int outputOffset, int length, scoped ReadOnlySpan<int> inputOffsets, scoped ReadOnlySpan<int> innerStrides)
        {
            for (int j = 0; j < length; j++)
            {
                float s = scale[inputOffsets[1] + j * innerStrides[1]];
                float z = zeroPoint[inputOffsets[2] + j * innerStrides[2]];
                float so = outScale[inputOffsets[3] + j * innerStrides[3]];
                // The power of two is rounded from the scales' ratio so that float noise in the scales cannot make it odd.
                float t = version1 ? fixedTruncScale : MathF.Pow(2f, MathF.Round(MathF.Log2(so / s), MidpointRounding.ToEven));
                float q = MathF.Round(x[inputOffsets[0] + j * innerStrides[0]] / s + z, MidpointRounding.ToEven) / t;
                q = IntegerGrid.Round(Math.Clamp(q, min, max), rounding);
                y[outputOffset + j] = version1 ? (q - z) * s : (q - z / t) * so;
            }
        }
    }
}
