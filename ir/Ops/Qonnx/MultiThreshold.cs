using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// QONNX/FINN MultiThreshold: each value becomes the number of its channel's thresholds it is
/// greater than or equal to, then <c>out_scale · count + out_bias</c>. Thresholds are [C, T]
/// (or [1, T], shared by every channel). The channel axis is 1 for data_layout NCHW (and any
/// rank-2 input), the last axis for NHWC and for inputs of other ranks, as FINN executes it.
/// The result is float32 (out_dtype names the integer type the count fits, for hardware).
/// </summary>
public sealed class MultiThreshold : OpDefinition
{
    public override string Name => "MultiThreshold";
    public override string Domain => OpDomains.Qonnx;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("v").Input("thresholds").Output("y")
        .Attr("out_dtype", AttributeKind.String, required: true)
        .Attr("out_scale", 1f)
        .Attr("out_bias", 0f)
        .Attr("data_layout", "NCHW")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var v = context.InputTensorType(0);
        var thresholds = context.InputTensorType(1);
        if (v is { Shape.IsRankKnown: true } && thresholds is { Shape.IsRankKnown: true })
        {
            if (thresholds.Shape.Rank != 2)
            {
                throw new InvalidNodeException($"thresholds must be [channels, steps], got rank {thresholds.Shape.Rank}");
            }
            var channels = v.Shape[ChannelAxis(context, v.Shape.Rank)];
            var rows = thresholds.Shape[0];
            if (channels.IsKnown && rows.IsKnown && rows.Value != 1 && rows.Value != channels.Value)
            {
                throw new InvalidNodeException($"thresholds have {rows.Value} rows; expected 1 or one per channel ({channels.Value})");
            }
        }
        return [new TensorType(ElementType.Float32, v?.Shape ?? Shape.UnknownRank)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var v = TensorConvert.ToFloat32(context.Input(0));
        var thresholds = TensorConvert.ToFloat32(context.Input(1));
        if (thresholds.Rank != 2)
        {
            throw new InvalidNodeException($"thresholds must be [channels, steps], got rank {thresholds.Rank}");
        }
        int axis = ChannelAxis(context, v.Rank);
        int channels = v.Dim(axis), rows = thresholds.Dim(0), steps = thresholds.Dim(1);
        if (rows != 1 && rows != channels)
        {
            throw new InvalidNodeException($"thresholds have {rows} rows; expected 1 or one per channel ({channels})");
        }
        int inner = 1;
        for (int d = axis + 1; d < v.Rank; d++)
        {
            inner *= v.Dim(d);
        }
        float scale = context.Float("out_scale"), bias = context.Float("out_bias");
        var input = v.Span<float>();
        var table = thresholds.Span<float>();
        var y = GC.AllocateUninitializedArray<float>(v.Length);
        for (int i = 0; i < input.Length; i++)
        {
            int channel = rows == 1 ? 0 : i / inner % channels;
            var row = table.Slice(channel * steps, steps);
            int count = 0;
            foreach (float threshold in row)
            {
                count += input[i] >= threshold ? 1 : 0;
            }
            // FINN computes out_scale * count + out_bias in float64 (Python floats) before storing float32.
            y[i] = (float)((double)scale * count + bias);
        }
        context.SetOutput(0, Tensor.Create(y, v.ShapeArray()));
    }

    private static int ChannelAxis(OpContext context, int rank)
    {
        string layout = context.String("data_layout");
        if (layout is not ("NCHW" or "NHWC"))
        {
            throw new InvalidNodeException($"data_layout must be \"NCHW\" or \"NHWC\", not \"{layout}\"");
        }
        if (rank < 2)
        {
            throw new InvalidNodeException($"MultiThreshold needs an input of rank 2 or more (batch and channels), got rank {rank}");
        }
        return rank == 2 ? 1 : layout == "NCHW" && rank == 4 ? 1 : rank - 1;
    }
}
