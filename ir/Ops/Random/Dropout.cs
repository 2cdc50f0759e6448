using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// Dropout. At inference (the default; opset 12 on, training_mode absent or false) it is the
/// identity and the mask is all true. In training mode each element is kept with probability
/// 1 - ratio and scaled by 1 / (1 - ratio); ratio 0 keeps everything, so that case is exact.
/// The ratio is an attribute before opset 12 and an optional input from 12; the mask is bool
/// from opset 10, of the data's type before. Before opset 7 "is_test" chose the mode; Neurite
/// runs those graphs for inference, as exporters of that era meant them.
/// </summary>
public sealed class Dropout : OpDefinition
{
    public override string Name => "Dropout";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("data").Optional("ratio").Optional("training_mode")
        .Output("output").OptionalOutput("mask")
        .Attr("ratio", 0.5f)
        .Attr("seed", AttributeKind.Float)
        .Attr("is_test", 0L)
        .Attr("consumed_inputs", AttributeKind.Ints)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var data = context.InputTensorType(0);
        if (data is null)
        {
            return [null, null];
        }
        return [data, new TensorType(MaskElement(context, data.ElementType), data.Shape)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        bool training = context.Opset >= 12 && context.OptionalInput(2) is Tensor mode && mode.GetDouble(0) != 0;
        double ratio = context.Opset >= 12
            ? (context.OptionalInput(1) is Tensor r ? r.GetDouble(0) : 0.5)
            : context.Float("ratio");
        if (training && (ratio < 0 || ratio >= 1))
        {
            throw new InvalidNodeException($"the dropout ratio must lie in [0, 1), got {ratio}");
        }
        var keep = new bool[data.Length];
        if (!training || ratio == 0)
        {
            keep.AsSpan().Fill(true);
            context.SetOutput(0, data);
        }
        else
        {
            var random = RandomSource.For(context);
            var scaled = TensorConvert.Convert(data, DataType.Float64).ToArray<double>();
            double scale = 1.0 / (1.0 - ratio);
            for (int i = 0; i < scaled.Length; i++)
            {
                keep[i] = random.NextDouble() >= ratio;
                scaled[i] = keep[i] ? scaled[i] * scale : 0.0;
            }
            context.SetOutput(0, RandomOutput.ToTensor(scaled, data.Shape, data.ElementType));
        }
        if (context.IsOutputUsed(1))
        {
            var mask = Tensor.Create(ElementType.Bool, keep, data.Shape);
            context.SetOutput(1, TensorConvert.Convert(mask, MaskElement(context, data.ElementType)));
        }
    }

    private static ElementType MaskElement(OpContext context, ElementType dataType) => context.Opset >= 10 ? ElementType.Bool : dataType;
}
