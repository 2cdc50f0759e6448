using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>
/// What the ReduceX ops share: axes as an attribute in early opsets and as an optional int64
/// input later (ReduceSum from 13, the others from 18), keepdims, and noop_with_empty_axes (which
/// arrived with the input form). Without axes every axis is reduced, unless noop_with_empty_axes
/// asks for no reduction; the op's recipe then still runs elementwise (ReduceSumSquare squares).
/// </summary>
public abstract class ReductionOp : OpDefinition
{
    /// <summary>The first opset in which axes are the second input rather than an attribute.</summary>
    protected abstract int AxesInputSince { get; }

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("data").Optional("axes").Output("reduced")
        .Attr("axes", AttributeKind.Ints)
        .Attr("keepdims", 1L)
        .Attr("noop_with_empty_axes", 0L)
        .Build();

    /// <summary>The reduction itself; <paramref name="reduced"/> flags the axes folded (none for a noop).</summary>
    protected abstract Tensor Compute(Tensor data, bool[] reduced, int[] outputShape);

    /// <summary>Rejects element types the op does not take (bool, strings).</summary>
    protected virtual void CheckElementType(OpContext context, ElementType element)
    {
        var storage = element.Storage;
        if (!(storage.IsFloatingPoint() || storage.IsInteger()) || storage.IsNarrowFloat())
        {
            throw new InvalidNodeException($"{Name} takes a numeric tensor, got {element}");
        }
    }

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        if (context.InputTensorType(0) is not TensorType input)
        {
            return [null];
        }
        CheckElementType(context, input.ElementType);
        if (!input.Shape.IsRankKnown)
        {
            return [TypeRules.UnknownShape(input.ElementType)];
        }
        int rank = input.Shape.Rank;
        bool keepDims = context.Int("keepdims") != 0;
        if (!TryStaticAxes(context, out var axes))
        {
            // The axes are a runtime value: with keepdims the rank survives, the sizes do not.
            return [keepDims ? new TensorType(input.ElementType, Shape.OfRank(rank)) : TypeRules.UnknownShape(input.ElementType)];
        }
        var reduced = ResolveAxes(context, axes, rank);
        if (reduced is null)
        {
            return [input];
        }
        var dims = new List<Dim>(rank);
        for (int d = 0; d < rank; d++)
        {
            if (!reduced[d])
            {
                dims.Add(input.Shape[d]);
            }
            else if (keepDims)
            {
                dims.Add(Dim.Known(1));
            }
        }
        return [new TensorType(input.ElementType, new Shape(dims))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var data = context.Input(0);
        CheckElementType(context, data.ElementType);
        long[]? axes = context.Opset >= AxesInputSince ? context.OptionalInput(1)?.ToInt64Array() : context.Ints("axes");
        var reduced = ResolveAxes(context, axes, data.Rank);
        var outputShape = reduced is null
            ? data.ShapeArray()
            : AxisReduction.OutputShape(data.Shape, reduced, context.Int("keepdims") != 0);
        context.SetOutput(0, Compute(data, reduced ?? new bool[data.Rank], outputShape));
    }

    /// <summary>Runs a map-accumulate-finish recipe over the flagged axes, for any numeric type.</summary>
    protected static Tensor Recipe(Tensor data, ElementMap map, Accumulation accumulation, ResultMap finish, bool[] reduced, int[] outputShape)
    {
        var recipe = new ReductionRecipe(map, accumulation, finish, reduced, outputShape);
        if (finish != ResultMap.None && data.DataType.IsInteger())
        {
            // Means, norms and logs of integers are taken in float64 and truncated back, as the
            // reference does; a narrow integer sum would wrap before it is divided.
            var result = KernelDispatch.Number(TensorConvert.Convert(data, DataType.Float64), recipe);
            return TensorConvert.Convert(result, data.ElementType);
        }
        return KernelDispatch.Number(data, recipe);
    }

    /// <summary>The axes when they are known before running: absent, an attribute, or a constant input.</summary>
    private bool TryStaticAxes(InferenceContext context, out long[]? axes)
    {
        axes = null;
        if (context.Opset < AxesInputSince)
        {
            axes = context.Ints("axes");
            return true;
        }
        if (!context.HasInput(1))
        {
            return true;
        }
        axes = context.ConstantInput(1)?.ToInt64Array();
        return axes is not null;
    }

    /// <summary>Which axes are reduced, or null when nothing is (noop_with_empty_axes with no axes).</summary>
    private bool[]? ResolveAxes(OpContext context, long[]? axes, int rank)
    {
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            bool noop = context.Opset >= AxesInputSince && context.Int("noop_with_empty_axes") != 0;
            if (noop)
            {
                return null;
            }
            reduced.AsSpan().Fill(true);
            return reduced;
        }
        foreach (long axis in axes)
        {
            int d = OpContext.NormalizeAxis(axis, rank, "reduction axis");
            if (reduced[d])
            {
                throw new InvalidNodeException($"axis {axis} is listed twice in axes [{string.Join(", ", axes)}]");
            }
            reduced[d] = true;
        }
        return reduced;
    }
}
