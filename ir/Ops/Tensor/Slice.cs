using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// Slice: a strided sub-tensor. starts/ends/axes are attributes in opset 1-9 and inputs (with
/// steps) from opset 10. Negative positions count from the end, out-of-range positions clamp,
/// and negative steps walk backwards.
/// </summary>
public sealed class Slice : OpDefinition
{
    public override string Name => "Slice";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("data").Optional("starts").Optional("ends").Optional("axes").Optional("steps").Output("output")
        .Attr("starts", AttributeKind.Ints)
        .Attr("ends", AttributeKind.Ints)
        .Attr("axes", AttributeKind.Ints)
        .Build();

    /// <summary>One sliced axis: where it starts, how far it steps and how many elements it keeps.</summary>
    private readonly record struct Range(int Start, int Step, int Count);

    /// <summary>The slice parameters, or null where inference cannot read them.</summary>
    private sealed record Parameters(long[] Starts, long[] Ends, long[]? Axes, long[]? Steps);

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var input = context.InputTensorType(0);
        if (input is not { Shape.IsRankKnown: true })
        {
            return TensorOpTypes.Single(input?.ElementType, Shape.UnknownRank);
        }
        var dims = input.Shape.Dims.ToArray();
        int rank = dims.Length;
        var parameters = context.Opset < 10
            ? AttributeParameters(context)
            : Read(TensorOpTypes.ConstantInts(context, 1), TensorOpTypes.ConstantInts(context, 2),
                context.HasInput(3) ? TensorOpTypes.ConstantInts(context, 3) : null,
                context.HasInput(4) ? TensorOpTypes.ConstantInts(context, 4) : null);
        bool axesUnknown = context.Opset >= 10 && context.HasInput(3) && TensorOpTypes.ConstantInts(context, 3) is null;
        bool stepsUnknown = context.Opset >= 10 && context.HasInput(4) && TensorOpTypes.ConstantInts(context, 4) is null;
        if (parameters is null || axesUnknown || stepsUnknown)
        {
            // Only the axes are known: the others keep their sizes.
            long[]? axes = context.Opset >= 10 && context.HasInput(3) ? TensorOpTypes.ConstantInts(context, 3) : null;
            int? count = axes?.Length ?? (context.Opset >= 10 && !context.HasInput(3) ? TensorOpTypes.VectorLength(context, 1) : null);
            if (count is null)
            {
                return TensorOpTypes.Single(input.ElementType, Shape.OfRank(rank));
            }
            var sliced = axes?.Select(a => OpContext.NormalizeAxis(a, rank)).ToHashSet() ?? Enumerable.Range(0, count.Value).ToHashSet();
            return TensorOpTypes.Single(input.ElementType, new Shape(dims.Select((d, i) => sliced.Contains(i) ? Dim.Unknown : d)));
        }
        var output = (Dim[])dims.Clone();
        foreach (var (axis, start, end, step) in Entries(parameters, rank))
        {
            if (dims[axis].IsKnown)
            {
                output[axis] = Dim.Known(Normalize(start, end, step, (int)dims[axis].Value).Count);
            }
            else
            {
                // The whole axis, forwards or backwards, keeps even a symbolic size.
                bool whole = (step == 1 && (start == 0 || start <= -int.MaxValue) && end >= int.MaxValue)
                    || (step == -1 && (start == -1 || start >= int.MaxValue) && end <= -int.MaxValue);
                output[axis] = whole ? dims[axis] : Dim.Unknown;
            }
        }
        return TensorOpTypes.Single(input.ElementType, new Shape(output));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        var parameters = context.Opset < 10
            ? AttributeParameters(context)
            : Read(context.Input(1).ToInt64Array(), context.Input(2).ToInt64Array(),
                context.OptionalInput(3)?.ToInt64Array(), context.OptionalInput(4)?.ToInt64Array());
        var strides = Broadcasting.ContiguousStrides(input.Shape);
        var shape = input.ShapeArray();
        var steps = (int[])strides.Clone();
        int offset = 0;
        foreach (var (axis, start, end, step) in Entries(parameters!, input.Rank))
        {
            var range = Normalize(start, end, step, input.Shape[axis]);
            shape[axis] = range.Count;
            offset += range.Start * strides[axis];
            steps[axis] = range.Step * strides[axis];
        }
        context.SetOutput(0, StridedCopy.Run(input, offset, shape, steps));
    }

    private static Parameters? AttributeParameters(OpContext context)
    {
        var starts = context.Ints("starts") ?? throw new InvalidNodeException("Slice before opset 10 requires attribute 'starts'");
        var ends = context.Ints("ends") ?? throw new InvalidNodeException("Slice before opset 10 requires attribute 'ends'");
        return new Parameters(starts, ends, context.Ints("axes"), null);
    }

    private static Parameters? Read(long[]? starts, long[]? ends, long[]? axes, long[]? steps) =>
        starts is null || ends is null ? null : new Parameters(starts, ends, axes, steps);

    /// <summary>The (axis, start, end, step) of every sliced axis, checked against each other and the rank.</summary>
    private static IEnumerable<(int Axis, long Start, long End, long Step)> Entries(Parameters p, int rank)
    {
        int count = p.Starts.Length;
        if (p.Ends.Length != count || (p.Axes is not null && p.Axes.Length != count) || (p.Steps is not null && p.Steps.Length != count))
        {
            throw new InvalidNodeException($"starts, ends, axes and steps must have the same length; got {count}, {p.Ends.Length}, {p.Axes?.Length}, {p.Steps?.Length}");
        }
        var seen = new HashSet<int>();
        var entries = new List<(int, long, long, long)>(count);
        for (int i = 0; i < count; i++)
        {
            int axis = p.Axes is null ? i : OpContext.NormalizeAxis(p.Axes[i], rank, "slice axis");
            if (axis >= rank)
            {
                throw new InvalidNodeException($"{count} starts given for an input of rank {rank}");
            }
            if (!seen.Add(axis))
            {
                throw new InvalidNodeException($"axis {axis} is sliced twice");
            }
            long step = p.Steps?[i] ?? 1;
            if (step == 0)
            {
                throw new InvalidNodeException($"the step of axis {axis} is 0");
            }
            entries.Add((axis, p.Starts[i], p.Ends[i], step));
        }
        return entries;
    }

    /// <summary>Clamps start and end as ONNX does (to [0, dim] forward, [-1, dim-1] backward) and counts the elements.</summary>
    private static Range Normalize(long start, long end, long step, int dim)
    {
        if (dim == 0)
        {
            return new Range(0, 1, 0);
        }
        if (start < 0)
        {
            start += dim;
        }
        if (end < 0)
        {
            end += dim;
        }
        long count;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            count = end > start ? (end - start + step - 1) / step : 0;
        }
        else
        {
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
            count = start > end ? (start - end - step - 1) / -step : 0;
        }
        // step only matters when more than one element is kept; clamping it avoids int overflow.
        int stride = (int)Math.Clamp(step, -(long)int.MaxValue, int.MaxValue);
        return new Range(count == 0 ? 0 : (int)start, stride, (int)count);
    }
}
